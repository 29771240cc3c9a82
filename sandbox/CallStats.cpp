#include "CallStats.h"

#include <QFile>
#include <QJsonDocument>

namespace chronoscope::sandbox {

void CallStats::appendCall(const std::string &stream)
{
    std::lock_guard lock(m_mutex);
    ++m_streams[stream].appendCalls;
}

void CallStats::methodCall(const std::string &method)
{
    std::lock_guard lock(m_mutex);
    ++m_methods[method];
}

std::uint64_t CallStats::methodCalls(const std::string &method) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_methods.find(method);
    return it == m_methods.end() ? 0 : it->second;
}

void CallStats::batchAppendCall()
{
    std::lock_guard lock(m_mutex);
    ++m_batchAppendCalls;
}

void CallStats::batchAppendRequest(const std::string &stream)
{
    std::lock_guard lock(m_mutex);
    ++m_streams[stream].batchAppendRequests;
}

void CallStats::batchAppendAnswered(const std::string &stream)
{
    std::lock_guard lock(m_mutex);
    ++m_streams[stream].batchAppends;
}

CallStats::Counts CallStats::forStream(const std::string &stream) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_streams.find(stream);
    return it == m_streams.end() ? Counts{} : it->second;
}

std::uint64_t CallStats::batchAppendCalls() const
{
    std::lock_guard lock(m_mutex);
    return m_batchAppendCalls;
}

QJsonObject CallStats::toJson() const
{
    std::lock_guard lock(m_mutex);
    Counts total;
    QJsonObject streams;
    for (const auto &[name, c] : m_streams) {
        total.appendCalls += c.appendCalls;
        total.batchAppendRequests += c.batchAppendRequests;
        total.batchAppends += c.batchAppends;
        streams.insert(QString::fromStdString(name),
                       QJsonObject{{QStringLiteral("appendCalls"), qint64(c.appendCalls)},
                                   {QStringLiteral("batchAppendRequests"), qint64(c.batchAppendRequests)},
                                   {QStringLiteral("batchAppends"), qint64(c.batchAppends)}});
    }
    QJsonObject methods;
    for (const auto &[name, calls] : m_methods)
        methods.insert(QString::fromStdString(name), qint64(calls));
    return QJsonObject{
        {QStringLiteral("methods"), methods},
        {QStringLiteral("append"), QJsonObject{{QStringLiteral("calls"), qint64(total.appendCalls)}}},
        {QStringLiteral("batchAppend"),
         QJsonObject{{QStringLiteral("calls"), qint64(m_batchAppendCalls)},
                     {QStringLiteral("requests"), qint64(total.batchAppendRequests)},
                     {QStringLiteral("appends"), qint64(total.batchAppends)}}},
        {QStringLiteral("streams"), streams},
    };
}

bool CallStats::writeJson(const QString &path, QString *error) const
{
    QFile f(path);
    const QByteArray json = QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(json) != json.size() || !f.flush()) {
        if (error)
            *error = QStringLiteral("cannot write '%1': %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace chronoscope::sandbox
