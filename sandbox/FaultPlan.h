#pragma once

#include "model/Types.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chronoscope::sandbox {

/// What goes wrong with one append (an Append call, or one correlation of a BatchAppend call), at
/// the point a real server or network fails: before the commit, after it, or in a stall.
struct Fault
{
    enum class Kind {
        None,
        /// Nothing is written; the call fails as when the connection is cut (UNAVAILABLE; on
        /// BatchAppend the whole call ends so, every append still under way on it included).
        KillBeforeCommit,
        /// Written and durable, then the call fails as above: the client cannot tell it from
        /// KillBeforeCommit.
        CommitThenDrop,
        /// The server sits on the append for `stall` (make it longer than the client's deadline),
        /// then writes it. Append: the client has seen DEADLINE_EXCEEDED by then. BatchAppend (no
        /// call deadline): answered `Timeout` once the append's own deadline has passed.
        StallThenCommit,
        /// As StallThenCommit, but nothing is written.
        StallThenDrop,
    };
    Kind kind = Kind::None;
    std::chrono::milliseconds stall{0};
    /// The server dies at the fault point (after the commit for CommitThenDrop and
    /// StallThenCommit, before it otherwise): in-process the SandboxServer stops serving, every
    /// call cut and the port closed, until SandboxServer::restart(); the `chronoscope-sandbox`
    /// binary exits at once (exit status 70) and is started again by whoever runs it.
    bool crash = false;

    static Fault killBeforeCommit(bool crash = false) { return {Kind::KillBeforeCommit, {}, crash}; }
    static Fault commitThenDrop(bool crash = false) { return {Kind::CommitThenDrop, {}, crash}; }
    static Fault stallThenCommit(std::chrono::milliseconds stall, bool crash = false)
    {
        return {Kind::StallThenCommit, stall, crash};
    }
    static Fault stallThenDrop(std::chrono::milliseconds stall, bool crash = false)
    {
        return {Kind::StallThenDrop, stall, crash};
    }

    bool writes() const { return kind == Kind::None || kind == Kind::CommitThenDrop || kind == Kind::StallThenCommit; }
    bool stalls() const { return kind == Kind::StallThenCommit || kind == Kind::StallThenDrop; }
    explicit operator bool() const { return kind != Kind::None; }

    /// "kill-before-commit", "commit-then-drop", "stall-then-commit", "stall-then-drop" ("none").
    static const char *kindName(Kind kind);
    static std::optional<Kind> kindFromName(const QString &name);
    /// E.g. "stall-then-commit 300 ms, crash".
    std::string toString() const;
    friend bool operator==(const Fault &a, const Fault &b)
    {
        return a.kind == b.kind && a.stall == b.stall && a.crash == b.crash;
    }
};

/// Which appends a rule hits, and what it does to them.
struct FaultRule
{
    std::string stream;       ///< empty: every stream
    quint64 nth = 0;          ///< the n-th append (from 1) to the stream, retries included; 0: every one
    double probability = 1.0; ///< that a matching append is hit (drawn as FaultPlan says)
    std::vector<Fault> oneOf; ///< what a hit does: one of these, drawn alike
};

/// One append the plan was asked about and the fault it met (none included).
struct FaultDecision
{
    std::string stream;
    quint64 nth = 0;
    Fault fault;
};

/// Faults for tests, decided per append: the sandbox numbers the appends arriving for each stream
/// (1, 2, …, in arrival order, retries included), and the first rule matching an append decides
/// what it meets. Chance is not a shared random generator but a hash of the seed, the rule, the
/// stream and the number, so a plan gives the same append the same fault whatever the threads do,
/// and a test can ask faultFor() beforehand: 1 000 scripted appends with faults drawn from a seed
/// are replayed exactly. Thread-safe.
///
/// As JSON (`chronoscope-sandbox --fault-file FILE`; every key optional except a rule's fault):
///     {"seed": 7, "rules": [
///       {"stream": "orders-1", "nth": 2, "fault": "commit-then-drop"},
///       {"stream": "orders-1", "nth": 3, "fault": "kill-before-commit", "crash": true},
///       {"probability": 0.1, "oneOf": [{"fault": "stall-then-commit", "stallMs": 300}, {"fault": "stall-then-drop",
///       "stallMs": 300}]}]}
class FaultPlan
{
public:
    explicit FaultPlan(quint64 seed = 0) : m_seed(seed) {}

    FaultPlan &add(FaultRule rule);
    /// The `nth` append to `stream` meets `fault`.
    FaultPlan &at(const std::string &stream, quint64 nth, Fault fault);

    /// What the `nth` append to `stream` meets (asks, counts nothing).
    Fault faultFor(const std::string &stream, quint64 nth) const;
    /// Counts one more append arriving for `stream` and returns what it meets.
    Fault next(const std::string &stream);
    /// Appends counted so far for `stream`.
    quint64 appendsSeen(const std::string &stream) const;
    /// Every append counted, in the order they arrived, with the fault each met.
    std::vector<FaultDecision> decisions() const;

    static std::shared_ptr<FaultPlan> fromJson(const QByteArray &json, QString *error);

private:
    /// Uniform in [0, 1) from the seed, the rule, the stream, the number and a salt (which draw).
    double draw(size_t rule, const std::string &stream, quint64 nth, quint64 salt) const;

    quint64 m_seed;
    std::vector<FaultRule> m_rules;
    mutable std::mutex m_mutex;
    std::map<std::string, quint64> m_seen;
    std::vector<FaultDecision> m_decisions;
};

} // namespace chronoscope::sandbox
