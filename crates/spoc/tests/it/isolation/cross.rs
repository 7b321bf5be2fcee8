//! cross
