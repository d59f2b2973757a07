#pragma once
// Work handed to another thread through Qt: a task started on a QThreadPool (startOnPool), or a
// call queued to a QObject's thread (postTo).
//
// Qt orders such a hand-over with its own locks (the pool's queue, the receiver's event queue),
// which on Linux are futex-based QMutexes compiled into libQt6Core. ThreadSanitizer does not see
// them in Debian's uninstrumented Qt, so what the sender wrote before the hand-over (the
// captures of the lambda, the heap block of Qt's slot object or runnable that holds them) and
// what the receiver reads and frees look unordered: the reports of docs/toolchain.md §10.
// These two functions pass every hand-over through one std::recursive_mutex as well: the sender
// holds it while Qt takes the work, and the work takes it before it runs and before its captures
// are destroyed, so the order Qt guarantees is also one TSan can check. The mutex is a single
// static one, not one per hand-over: the receiver must not read anything the sender wrote (a
// pointer to a per-hand-over mutex included) before it has taken the lock. It is recursive
// because the sender's own copies of the work are destroyed inside the hand-over, and Qt
// destroys the whole work there when the receiver is null. In every build it states the
// ordering the receiver relies on; it costs one uncontended lock on each side.
#include <QMetaObject>
#include <QObject>
#include <QThreadPool>

#include <mutex>
#include <type_traits>
#include <utility>

namespace scopeviz::ui {

namespace detail {

/// The one lock every hand-over passes (see above).
inline std::recursive_mutex& handoverMutex()
{
    static std::recursive_mutex m;
    return m;
}

/// Waits until the sender let go of the hand-over; everything it wrote before is visible.
inline void handoverReceived() { std::lock_guard lock(handoverMutex()); }

/// The receiving side's lock, also taken when the work is destroyed without running.
struct HandoverSync {
    HandoverSync() = default;
    HandoverSync(const HandoverSync&) = default;
    HandoverSync& operator=(const HandoverSync&) = default;
    ~HandoverSync() { handoverReceived(); }
};

template <class F>
struct Handover {
    F fn;
    HandoverSync sync; // declared last, destroyed first: before fn's captures are

    decltype(auto) operator()()
    {
        handoverReceived();
        return fn();
    }
};

/// Calls hand(work) with the lock held, where work wraps fn; returns what hand returns.
template <class F, class Hand>
decltype(auto) handOver(F&& fn, Hand&& hand)
{
    std::lock_guard lock(handoverMutex());
    return hand(Handover<std::decay_t<F>>{std::forward<F>(fn), {}});
}

} // namespace detail

/// Runs fn on a thread of pool; what the caller wrote before is visible to fn (see above).
template <class F>
void startOnPool(QThreadPool& pool, F&& fn)
{
    detail::handOver(std::forward<F>(fn), [&pool](auto&& work) { pool.start(std::move(work)); });
}

/// Queues fn to context's thread (QMetaObject::invokeMethod, Qt::QueuedConnection); nothing
/// runs when context is null or is destroyed first. What the caller wrote before is visible to fn.
template <class F>
void postTo(QObject* context, F&& fn)
{
    detail::handOver(std::forward<F>(fn), [context](auto&& work) {
        QMetaObject::invokeMethod(context, std::move(work), Qt::QueuedConnection);
    });
}

} // namespace scopeviz::ui
