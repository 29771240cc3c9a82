#include "FaultPlan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::sandbox {
namespace {

constexpr quint64 kHitSalt = 1;
constexpr quint64 kPickSalt = 2;

/// splitmix64's finaliser: spreads every input bit over the result.
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

quint64 hashOf(const std::string &s)
{
    quint64 h = 0xcbf29ce484222325ULL; // FNV-1a
    for (const unsigned char c : s)
        h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

bool parseFault(const QJsonObject &o, Fault *fault, QString *error)
{
    const QString name = o.value(QStringLiteral("fault")).toString();
    const std::optional<Fault::Kind> kind = Fault::kindFromName(name);
    if (!kind) {
        *error = QStringLiteral("unknown fault '%1' (kill-before-commit, commit-then-drop, stall-then-commit, "
                                "stall-then-drop or none)")
                     .arg(name);
        return false;
    }
    fault->kind = *kind;
    fault->stall = std::chrono::milliseconds(o.value(QStringLiteral("stallMs")).toInteger(0));
    fault->crash = o.value(QStringLiteral("crash")).toBool(false);
    if (fault->stalls() && fault->stall.count() <= 0) {
        *error = QStringLiteral("'%1' needs a positive stallMs").arg(name);
        return false;
    }
    return true;
}

} // namespace

const char *Fault::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return "none";
    case Kind::KillBeforeCommit: return "kill-before-commit";
    case Kind::CommitThenDrop: return "commit-then-drop";
    case Kind::StallThenCommit: return "stall-then-commit";
    case Kind::StallThenDrop: return "stall-then-drop";
    }
    return "none";
}

std::optional<Fault::Kind> Fault::kindFromName(const QString &name)
{
    for (const Kind k :
         {Kind::None, Kind::KillBeforeCommit, Kind::CommitThenDrop, Kind::StallThenCommit, Kind::StallThenDrop})
        if (name == QLatin1String(kindName(k)))
            return k;
    return std::nullopt;
}

std::string Fault::toString() const
{
    std::string s = kindName(kind);
    if (stalls())
        s += ' ' + std::to_string(stall.count()) + " ms";
    if (crash)
        s += ", crash";
    return s;
}

FaultPlan &FaultPlan::add(FaultRule rule)
{
    std::lock_guard lock(m_mutex);
    m_rules.push_back(std::move(rule));
    return *this;
}

FaultPlan &FaultPlan::at(const std::string &stream, quint64 nth, Fault fault)
{
    return add(FaultRule{stream, nth, 1.0, {fault}});
}

double FaultPlan::draw(size_t rule, const std::string &stream, quint64 nth, quint64 salt) const
{
    const quint64 h = mix(mix(mix(mix(m_seed) ^ quint64(rule)) ^ hashOf(stream)) ^ mix(nth * 4 + salt));
    return double(h >> 11) / double(quint64(1) << 53);
}

Fault FaultPlan::faultFor(const std::string &stream, quint64 nth) const
{
    std::lock_guard lock(m_mutex);
    for (size_t i = 0; i < m_rules.size(); ++i) {
        const FaultRule &r = m_rules[i];
        if ((!r.stream.empty() && r.stream != stream) || (r.nth != 0 && r.nth != nth) || r.oneOf.empty())
            continue;
        if (r.probability < 1.0 && draw(i, stream, nth, kHitSalt) >= r.probability)
            continue;
        const size_t pick = std::min(r.oneOf.size() - 1,
                                     size_t(draw(i, stream, nth, kPickSalt) * double(r.oneOf.size())));
        return r.oneOf[pick];
    }
    return {};
}

Fault FaultPlan::next(const std::string &stream)
{
    quint64 nth = 0;
    {
        std::lock_guard lock(m_mutex);
        nth = ++m_seen[stream];
    }
    const Fault fault = faultFor(stream, nth);
    std::lock_guard lock(m_mutex);
    m_decisions.push_back({stream, nth, fault});
    return fault;
}

quint64 FaultPlan::appendsSeen(const std::string &stream) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_seen.find(stream);
    return it == m_seen.end() ? 0 : it->second;
}

std::vector<FaultDecision> FaultPlan::decisions() const
{
    std::lock_guard lock(m_mutex);
    return m_decisions;
}

std::shared_ptr<FaultPlan> FaultPlan::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
    if (!doc.isObject()) {
        *error = parse.error != QJsonParseError::NoError ? parse.errorString() : QStringLiteral("not a JSON object");
        return nullptr;
    }
    const QJsonObject root = doc.object();
    auto plan = std::make_shared<FaultPlan>(quint64(root.value(QStringLiteral("seed")).toInteger(0)));
    const QJsonArray rules = root.value(QStringLiteral("rules")).toArray();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonObject o = rules.at(i).toObject();
        FaultRule rule;
        rule.stream = o.value(QStringLiteral("stream")).toString().toStdString();
        rule.nth = quint64(o.value(QStringLiteral("nth")).toInteger(0));
        rule.probability = o.value(QStringLiteral("probability")).toDouble(1.0);
        const QJsonArray choices = o.contains(QStringLiteral("oneOf")) ? o.value(QStringLiteral("oneOf")).toArray()
                                                                       : QJsonArray{o};
        for (const QJsonValue &c : choices) {
            Fault f;
            if (!parseFault(c.toObject(), &f, error)) {
                *error = QStringLiteral("rule %1: %2").arg(i).arg(*error);
                return nullptr;
            }
            rule.oneOf.push_back(f);
        }
        if (rule.oneOf.empty() || rule.probability < 0 || rule.probability > 1) {
            *error =
                QStringLiteral("rule %1: needs a fault (or a non-empty oneOf) and a probability from 0 to 1").arg(i);
            return nullptr;
        }
        plan->add(std::move(rule));
    }
    return plan;
}

} // namespace chronoscope::sandbox
