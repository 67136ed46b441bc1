mod public;
mod secret;

pub use self::{
    public::{PubKeyInner, PublicKey, PublicSubkey},
    secret::{SecretKey, SecretSubkey},
};
