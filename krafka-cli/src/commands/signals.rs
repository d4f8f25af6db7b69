//! SIGINT (Ctrl-C) and SIGTERM as one stream of interruptions, for the
//! commands that finish their work when told to stop.

use std::future::pending;

/// The interruptions a command listens to. A signal whose handler cannot be
/// installed keeps its default action (ending the process).
pub struct Interrupts {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    /// Starts listening (within a tokio runtime).
    pub fn new() -> Interrupts {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Interrupts {
                terminate: signal(SignalKind::terminate()).ok(),
                interrupt: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Interrupts {}
        }
    }

    /// The next interruption's name (`SIGINT`, `SIGTERM`).
    pub async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            let terminate = next(self.terminate.as_mut());
            let interrupt = next(self.interrupt.as_mut());
            tokio::select! {
                () = terminate => "SIGTERM",
                () = interrupt => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            match tokio::signal::ctrl_c().await {
                Ok(()) => "Ctrl-C",
                Err(_) => pending().await,
            }
        }
    }
}

/// The next delivery of `signal`; never, without a handler (or once the
/// stream of signals ended).
#[cfg(unix)]
async fn next(signal: Option<&mut tokio::signal::unix::Signal>) {
    if let Some(signal) = signal {
        if signal.recv().await.is_some() {
            return;
        }
    }
    pending::<()>().await;
}
