//! Team identities at the wasm boundary (src/team): arguments converted, results serialized.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::convert;
use super::error::os_rng;
use super::error::to_js;
use super::keyring::JsKeyring;
use crate::team::{MemberPublic, TeamRotation};

#[wasm_bindgen(typescript_custom_section)]
const TS_TEAM: &str = r#"
export interface OpenedTeam {
  address: string;
  /** The hash of the team's creation: give it to a new member or a Worker (TEAM_PIN) to pass to teamOpen. */
  pin: string;
  members: MemberPublic[];
  changes: TeamChangeInfo[];
  /** The team's keyring: open and protect mail as the team address with it. */
  keyring: Keyring;
}
export interface TeamOpenOptions {
  /** The team's pin (OpenedTeam.pin, from a member): a bundle of another team of the same address is team_refused. */
  pin?: string;
}
export interface TeamRotationOptions { openpgp?: PgpKeyAlgorithm; smime?: SmimeKeyAlgorithm; }
export interface TeamRotated { bundle: Uint8Array; openpgp?: GeneratedPgpKey; smime?: PendingKeyInfo; }
"#;

fn member_of(value: JsValue) -> Result<MemberPublic, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|_| super::error::bad_input("That is not a member key (memberKey gives one)."))
}

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(obj, &JsValue::from_str(key), value).map(|_| ())
}

#[wasm_bindgen(js_class = Keyring)]
impl JsKeyring {
    /// `memberKey(name)` → `MemberPublic`: this keyring's member key for teams (made on first
    /// use, sealed with the keyring); hand it to a member of the team to be added.
    #[wasm_bindgen(js_name = memberKey, unchecked_return_type = "MemberPublic")]
    pub fn member_key(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<JsValue, JsValue> {
        let name = convert::string(&name, "The name")?;
        let now = convert::now(&None)?;
        let public = self
            .inner_mut()
            .member_key(&name, &mut os_rng()?, now)
            .map_err(to_js)?;
        convert::to_js_value(&public)
    }

    /// `teamCreate(address, teamKeyring)` → the team bundle (bytes) with this member as its
    /// only member and `teamKeyring`'s keys as the team's.
    #[wasm_bindgen(js_name = teamCreate)]
    pub fn team_create(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        team: &mut JsKeyring,
    ) -> Result<Vec<u8>, JsValue> {
        let address = convert::string(&address, "The address")?;
        let now = convert::now(&None)?;
        let identity = team.settled().clone();
        self.inner_mut()
            .team_create(&address, &identity, &mut os_rng()?, now)
            .map_err(to_js)
    }

    /// `teamOpen(bundle, { pin? })` → `OpenedTeam`: the chain checked, rollback refused, the
    /// team's keyring unsealed (`team_refused`, `team_rolled_back`, `not_a_member`); with
    /// `pin`, only the team created as the pin says.
    #[wasm_bindgen(js_name = teamOpen, unchecked_return_type = "OpenedTeam")]
    pub fn team_open(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bundle: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TeamOpenOptions")] opts: Option<
            js_sys::Object,
        >,
    ) -> Result<JsValue, JsValue> {
        let bundle = convert::bytes(&bundle, "The team bundle")?;
        let opts = convert::options(opts)?;
        let pin = convert::opt_string(&opts, "pin")?;
        let now = convert::now(&None)?;
        let opened = self
            .inner_mut()
            .team_open_pinned(&bundle, pin.as_deref(), now)
            .map_err(to_js)?;
        let out = Object::new();
        set(&out, "address", &JsValue::from_str(&opened.address))?;
        set(&out, "pin", &JsValue::from_str(&opened.pin))?;
        set(&out, "members", &convert::to_js_value(&opened.members)?)?;
        set(&out, "changes", &convert::to_js_value(&opened.changes)?)?;
        set(&out, "keyring", &JsKeyring::wrap(opened.identity).into())?;
        Ok(out.into())
    }

    /// `teamAddMember(bundle, member)` → the new bundle, with `member` (their `memberKey()`).
    #[wasm_bindgen(js_name = teamAddMember)]
    pub fn team_add_member(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bundle: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MemberPublic")] member: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let bundle = convert::bytes(&bundle, "The team bundle")?;
        let member = member_of(member)?;
        let now = convert::now(&None)?;
        self.inner_mut()
            .team_add_member(&bundle, &member, &mut os_rng()?, now)
            .map_err(to_js)
    }

    /// `teamRemoveMember(bundle, memberId)` → the new bundle without that member.
    #[wasm_bindgen(js_name = teamRemoveMember)]
    pub fn team_remove_member(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bundle: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] member_id: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let bundle = convert::bytes(&bundle, "The team bundle")?;
        let id = convert::string(&member_id, "The member id")?;
        let now = convert::now(&None)?;
        self.inner_mut()
            .team_remove_member(&bundle, &id, &mut os_rng()?, now)
            .map_err(to_js)
    }

    /// `teamRotate(bundle, { openpgp?, smime? })` → `TeamRotated`: new keys for the team
    /// address (the old ones kept for old mail), the new bundle.
    #[wasm_bindgen(js_name = teamRotate, unchecked_return_type = "TeamRotated")]
    pub fn team_rotate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bundle: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TeamRotationOptions")] rotation: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bundle = convert::bytes(&bundle, "The team bundle")?;
        let rotation: TeamRotation = serde_wasm_bindgen::from_value(rotation)
            .map_err(|e| super::error::bad_input(&format!("The rotation is not valid: {e}")))?;
        let now = convert::now(&None)?;
        let rotated = self
            .inner_mut()
            .team_rotate(&bundle, &rotation, &mut os_rng()?, now)
            .map_err(to_js)?;
        let out = Object::new();
        set(
            &out,
            "bundle",
            &Uint8Array::from(rotated.bundle.as_slice()).into(),
        )?;
        if let Some(key) = &rotated.openpgp {
            set(&out, "openpgp", &convert::to_js_value(key)?)?;
        }
        if let Some(pending) = &rotated.smime {
            set(&out, "smime", &convert::to_js_value(pending)?)?;
        }
        Ok(out.into())
    }
}
