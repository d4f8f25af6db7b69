//! Typed errors of the codec layer.
//!
//! Primitives raise errors without knowing where they are; the derived code
//! fills in the message and field with [`DecodeError::at`] / [`EncodeError::at`]
//! on the way out, so the innermost location wins.

use thiserror::Error;

/// Placeholder location for errors raised before the derived code names them.
const UNSET: &str = "?";

/// Why bytes could not be decoded. Every variant names the message (or nested
/// struct) and the field being read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended before the value did.
    #[error("{message}.{field}: unexpected end of input (needed {needed} bytes, {remaining} left)")]
    UnexpectedEof {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
        /// The bytes the value needed.
        needed: usize,
        /// The bytes left in the input.
        remaining: usize,
    },
    /// A length prefix that is negative (where null is not allowed) or larger
    /// than the remaining input could hold.
    #[error("{message}.{field}: invalid length {length} ({remaining} bytes left)")]
    InvalidLength {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
        /// The length prefix as read.
        length: i64,
        /// The bytes left in the input.
        remaining: usize,
    },
    /// A null in a version where the field is not nullable.
    #[error("{message}.{field}: null is not allowed in this version")]
    UnexpectedNull {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
    },
    /// A varint longer than its type allows.
    #[error("{message}.{field}: malformed varint")]
    InvalidVarint {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
    },
    /// A string that is not UTF-8.
    #[error("{message}.{field}: string is not valid UTF-8")]
    InvalidUtf8 {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
    },
    /// A tagged field whose value did not fill exactly its declared size.
    #[error("{message}.{field}: tagged field has {extra} bytes beyond its value")]
    TaggedSizeMismatch {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
        /// The bytes left over after the value.
        extra: usize,
    },
    /// A value that is structurally valid but not allowed (an unknown enum code, ...).
    #[error("{message}.{field}: invalid value: {reason}")]
    InvalidValue {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The field being read.
        field: &'static str,
        /// Why the value is not allowed.
        reason: &'static str,
    },
    /// The message does not exist in the requested version.
    #[error("{message}: version {version} is not supported")]
    UnsupportedVersion {
        /// The message (or nested struct) being read.
        message: &'static str,
        /// The version asked for.
        version: i16,
    },
}

impl DecodeError {
    pub(crate) fn eof(needed: usize, remaining: usize) -> Self {
        DecodeError::UnexpectedEof {
            message: UNSET,
            field: UNSET,
            needed,
            remaining,
        }
    }

    pub(crate) fn length(length: i64, remaining: usize) -> Self {
        DecodeError::InvalidLength {
            message: UNSET,
            field: UNSET,
            length,
            remaining,
        }
    }

    pub(crate) fn null() -> Self {
        DecodeError::UnexpectedNull {
            message: UNSET,
            field: UNSET,
        }
    }

    pub(crate) fn varint() -> Self {
        DecodeError::InvalidVarint {
            message: UNSET,
            field: UNSET,
        }
    }

    pub(crate) fn utf8() -> Self {
        DecodeError::InvalidUtf8 {
            message: UNSET,
            field: UNSET,
        }
    }

    /// An invalid value, for hand-written decoders.
    pub fn invalid(reason: &'static str) -> Self {
        DecodeError::InvalidValue {
            message: UNSET,
            field: UNSET,
            reason,
        }
    }

    /// Names the location of an error raised below this point, unless a
    /// deeper level already did.
    pub fn at(mut self, at_message: &'static str, at_field: &'static str) -> Self {
        match &mut self {
            DecodeError::UnexpectedEof { message, field, .. }
            | DecodeError::InvalidLength { message, field, .. }
            | DecodeError::UnexpectedNull { message, field }
            | DecodeError::InvalidVarint { message, field }
            | DecodeError::InvalidUtf8 { message, field }
            | DecodeError::TaggedSizeMismatch { message, field, .. }
            | DecodeError::InvalidValue { message, field, .. } => {
                if *message == UNSET {
                    *message = at_message;
                    *field = at_field;
                }
            }
            DecodeError::UnsupportedVersion { .. } => {}
        }
        self
    }

    /// The message (or nested struct) named by this error.
    pub fn message(&self) -> &'static str {
        match self {
            DecodeError::UnexpectedEof { message, .. }
            | DecodeError::InvalidLength { message, .. }
            | DecodeError::UnexpectedNull { message, .. }
            | DecodeError::InvalidVarint { message, .. }
            | DecodeError::InvalidUtf8 { message, .. }
            | DecodeError::TaggedSizeMismatch { message, .. }
            | DecodeError::InvalidValue { message, .. }
            | DecodeError::UnsupportedVersion { message, .. } => message,
        }
    }

    /// The field named by this error (`None` for whole-message errors).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DecodeError::UnexpectedEof { field, .. }
            | DecodeError::InvalidLength { field, .. }
            | DecodeError::UnexpectedNull { field, .. }
            | DecodeError::InvalidVarint { field, .. }
            | DecodeError::InvalidUtf8 { field, .. }
            | DecodeError::TaggedSizeMismatch { field, .. }
            | DecodeError::InvalidValue { field, .. } => Some(field),
            DecodeError::UnsupportedVersion { .. } => None,
        }
    }
}

/// Why a value could not be encoded in the requested version.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The message does not exist in the requested version.
    #[error("{message}: version {version} is not supported")]
    UnsupportedVersion {
        /// The message (or nested struct) being written.
        message: &'static str,
        /// The version asked for.
        version: i16,
    },
    /// A field holds a non-default value but does not exist in this version
    /// (and is not ignorable).
    #[error(
        "{message}.{field}: field does not exist in version {version} but holds a non-default value"
    )]
    FieldNotInVersion {
        /// The message (or nested struct) being written.
        message: &'static str,
        /// The field being written.
        field: &'static str,
        /// The version asked for.
        version: i16,
    },
    /// A null in a version where the field is not nullable.
    #[error("{message}.{field}: null is not allowed in version {version}")]
    NullNotAllowed {
        /// The message (or nested struct) being written.
        message: &'static str,
        /// The field being written.
        field: &'static str,
        /// The version asked for.
        version: i16,
    },
    /// A string, byte array or array longer than its length prefix can express.
    #[error("{message}.{field}: length {length} does not fit the length prefix")]
    TooLong {
        /// The message (or nested struct) being written.
        message: &'static str,
        /// The field being written.
        field: &'static str,
        /// The value's length.
        length: usize,
    },
}

impl EncodeError {
    pub(crate) fn too_long(length: usize) -> Self {
        EncodeError::TooLong {
            message: UNSET,
            field: UNSET,
            length,
        }
    }

    /// Names the location of an error raised below this point, unless a
    /// deeper level already did.
    pub fn at(mut self, at_message: &'static str, at_field: &'static str) -> Self {
        match &mut self {
            EncodeError::TooLong { message, field, .. }
            | EncodeError::FieldNotInVersion { message, field, .. }
            | EncodeError::NullNotAllowed { message, field, .. } => {
                if *message == UNSET {
                    *message = at_message;
                    *field = at_field;
                }
            }
            EncodeError::UnsupportedVersion { .. } => {}
        }
        self
    }
}
