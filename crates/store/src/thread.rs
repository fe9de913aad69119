//! Keeps SQLite off the async workers without tying the store to tokio: one dedicated thread
//! owns the [`Store`], and [`StoreHandle::call`] sends it a closure. The answer comes back as a
//! [`Reply`], which is a `Future` (await it from any runtime) and can also be waited on
//! synchronously. Jobs run one at a time, in the order sent, which also serialises writes.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread;

use crate::error::{Result, StoreError};
use crate::integrity::{IntegrityCell, IntegrityStatus};
use crate::open::Store;

type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// A cloneable handle to the database thread; the thread ends when the last handle is dropped.
/// A file's full integrity check runs beside it (see `integrity`).
#[derive(Clone)]
pub struct StoreHandle {
    jobs: mpsc::Sender<Job>,
    integrity: IntegrityCell,
}

impl StoreHandle {
    /// Opens the database on a new thread named `punte-db` (with the quick check), then starts
    /// the full integrity check on a thread of its own: see [`StoreHandle::integrity`].
    ///
    /// # Errors
    /// Whatever [`Store::open`] returns (the thread then ends).
    pub fn open(path: PathBuf) -> Result<Self> {
        let (ready_tx, ready_rx) = mpsc::sync_channel(1);
        let (jobs, inbox) = mpsc::channel::<Job>();
        let check = path.clone();
        thread::Builder::new()
            .name("punte-db".into())
            .spawn(move || match Store::open(&path) {
                Ok(store) => {
                    let _ = ready_tx.send(Ok(()));
                    serve(store, &inbox);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(StoreError::ThreadStart)?;
        ready_rx.recv().map_err(|_| StoreError::ThreadGone)??;
        Ok(Self {
            jobs,
            integrity: IntegrityCell::start(check),
        })
    }

    /// Moves an already open store onto its own thread; a file's full integrity check starts
    /// beside it, as with [`StoreHandle::open`].
    ///
    /// # Errors
    /// If the OS cannot start a thread.
    pub fn from_store(store: Store) -> Result<Self> {
        let integrity = match store.path() {
            Some(path) => IntegrityCell::start(path.to_path_buf()),
            None => IntegrityCell::new(IntegrityStatus::NotRun),
        };
        let (jobs, inbox) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("punte-db".into())
            .spawn(move || serve(store, &inbox))
            .map_err(StoreError::ThreadStart)?;
        Ok(Self { jobs, integrity })
    }

    /// Where the full integrity check of the file stands (opening ran only the quick one).
    #[must_use]
    pub fn integrity(&self) -> IntegrityStatus {
        self.integrity.get()
    }

    /// Runs `job` on the database thread. A job that panics answers
    /// [`StoreError::ThreadGone`]; its open transaction is rolled back and the thread goes on.
    pub fn call<T, F>(&self, job: F) -> Reply<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T> + Send + 'static,
    {
        let shared = Arc::new(Shared::default());
        let answer = Answer {
            shared: Arc::clone(&shared),
        };
        let boxed: Job = Box::new(move |store| answer.give(job(store)));
        // If the thread is gone the job (and its Answer) is dropped, which answers ThreadGone.
        let _ = self.jobs.send(boxed);
        Reply { shared }
    }
}

fn serve(mut store: Store, inbox: &mpsc::Receiver<Job>) {
    while let Ok(job) = inbox.recv() {
        let _ = catch_unwind(AssertUnwindSafe(|| job(&mut store)));
    }
}

struct Slot<T> {
    value: Option<Result<T>>,
    waker: Option<Waker>,
}

struct Shared<T> {
    slot: Mutex<Slot<T>>,
    ready: Condvar,
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Self {
            slot: Mutex::new(Slot {
                value: None,
                waker: None,
            }),
            ready: Condvar::new(),
        }
    }
}

/// The sending half; dropping it unanswered (panic, thread gone) answers `ThreadGone`.
struct Answer<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Answer<T> {
    fn give(self, value: Result<T>) {
        self.put(value);
    }

    fn put(&self, value: Result<T>) {
        let mut slot = self
            .shared
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.value.is_none() {
            slot.value = Some(value);
        }
        if let Some(w) = slot.waker.take() {
            w.wake();
        }
        self.shared.ready.notify_all();
    }
}

impl<T> Drop for Answer<T> {
    fn drop(&mut self) {
        let answered = self
            .shared
            .slot
            .lock()
            .map(|s| s.value.is_some())
            .unwrap_or(true);
        if !answered {
            self.put(Err(StoreError::ThreadGone));
        }
    }
}

/// The answer of a [`StoreHandle::call`]: `.await` it, or [`Reply::wait`] from sync code.
pub struct Reply<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Reply<T> {
    /// Blocks the current thread until the job has run. Never call it on an async worker.
    ///
    /// # Errors
    /// The job's own error, or [`StoreError::ThreadGone`].
    pub fn wait(self) -> Result<T> {
        let mut slot = self
            .shared
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(v) = slot.value.take() {
                return v;
            }
            slot = self
                .shared
                .ready
                .wait(slot)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl<T> Future for Reply<T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self
            .shared
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match slot.value.take() {
            Some(v) => Poll::Ready(v),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
