mod builder;
mod decrypt;
mod parser;
mod reader;
mod types;

pub use self::{
    builder::{
        Builder as MessageBuilder, DummyReader, Encryption, EncryptionSeipdV1, EncryptionSeipdV2,
        NoEncryption, SubpacketConfig, DEFAULT_PARTIAL_CHUNK_SIZE,
    },
    decrypt::*,
    reader::*,
    types::*,
};
