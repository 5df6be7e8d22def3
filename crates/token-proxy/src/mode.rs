//! How the sealed refresh token travels between the browser and the proxy: a module of its own,
//! because the request parser, the session lifetimes and the sealing all depend on it.

/// How the sealed refresh token travels between the browser and the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMode {
    /// A `__Host-` cookie: the proxy must be served same-site with the SPA.
    Cookie,
    /// An opaque handle in the JSON body, kept by the SPA (cross-site deployments).
    Handle,
}
