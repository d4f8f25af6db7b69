//! The byte stream under a connection, and what opens one.
//!
//! A [`Connection`](super::Connection) runs over any [`Transport`]: a TCP
//! socket, a TLS session over one (the TLS stage of the set-up wraps what
//! the connector opened), an in-memory pipe in tests. A
//! [`Connector`] opens transports to `host:port` addresses; the client holds
//! one and every broker connection starts there.
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//!
//! use krafka_client::{BoxTransport, Connector, ConnectFuture, Tcp};
//!
//! /// TCP, counting the connections it opens.
//! #[derive(Debug, Default)]
//! struct Counting(AtomicUsize);
//!
//! impl Connector for Counting {
//!     fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a> {
//!         self.0.fetch_add(1, Ordering::Relaxed);
//!         Tcp.connect(address)
//!     }
//! }
//! # let _: Arc<dyn Connector> = Arc::new(Counting::default());
//! ```

use std::fmt::Debug;
use std::future::Future;
use std::io;
use std::pin::Pin;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// A byte stream a connection can run over.
pub trait Transport: AsyncRead + AsyncWrite + Send + Unpin + 'static {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Transport for T {}

/// A transport of any kind.
pub type BoxTransport = Box<dyn Transport>;

/// What [`Connector::connect`] returns.
pub type ConnectFuture<'a> = Pin<Box<dyn Future<Output = io::Result<BoxTransport>> + Send + 'a>>;

/// Opens transports to brokers. The client bounds each attempt by
/// `socket.connection.setup.timeout.ms`.
pub trait Connector: Debug + Send + Sync + 'static {
    /// Opens a stream to `address` (`host:port`).
    fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a>;
}

/// Plain TCP, with Nagle's algorithm off (requests are written whole).
#[derive(Debug, Clone, Copy, Default)]
pub struct Tcp;

impl Connector for Tcp {
    fn connect<'a>(&'a self, address: &'a str) -> ConnectFuture<'a> {
        Box::pin(async move {
            let stream = TcpStream::connect(address).await?;
            stream.set_nodelay(true)?;
            Ok(Box::new(stream) as BoxTransport)
        })
    }
}
