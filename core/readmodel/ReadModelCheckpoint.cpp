#include "readmodel/ReadModelCheckpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace chronoscope::readmodel {

bool CheckpointSpec::parse(const QJsonValue &v, bool redis, CheckpointSpec *out, QString *field, QString *message)
{
    *out = {};
    if (v.isUndefined())
        return true;
    auto fail = [&](const QString &where, const QString &why) {
        *field = where;
        *message = why;
        return false;
    };
    if (!v.isObject())
        return fail({},
                    redis ? QStringLiteral("must be an object {\"key\", \"field\"}")
                          : QStringLiteral("must be an object {\"query\"}"));
    const QJsonObject o = v.toObject();
    const QStringList allowed = redis ? QStringList{QStringLiteral("key"), QStringLiteral("field")}
                                      : QStringList{QStringLiteral("query")};
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!allowed.contains(it.key()))
            return fail(QLatin1Char('.') + it.key(),
                        QStringLiteral("unknown key (expected one of %1)").arg(allowed.join(QStringLiteral(", "))));
    if (redis) {
        out->key = o.value(QLatin1String("key")).toString();
        out->field = o.value(QLatin1String("field")).toString();
        if (out->key.isEmpty())
            return fail(QStringLiteral(".key"), QStringLiteral("missing: the key holding the checkpoint"));
        if (o.contains(QLatin1String("field")) && out->field.isEmpty())
            return fail(QStringLiteral(".field"), QStringLiteral("must be a non-empty string"));
        return true;
    }
    out->query = o.value(QLatin1String("query")).toString();
    if (out->query.trimmed().isEmpty())
        return fail(QStringLiteral(".query"), QStringLiteral("missing: a query returning the checkpoint"));
    static const QRegularExpression param(QStringLiteral("\\$\\d+"));
    if (param.match(out->query).hasMatch())
        return fail(QStringLiteral(".query"), QStringLiteral("takes no parameters"));
    return true;
}

CheckpointValue checkpointFromValue(const QJsonValue &raw)
{
    CheckpointValue out;
    if (raw.isUndefined() || raw.isNull()) {
        out.none = true;
        return out;
    }
    if (raw.isDouble()) {
        const qint64 i = raw.toInteger(-1); // exact for int8 columns; -1 for fractions and negatives
        if (i < 0) {
            out.error = QStringLiteral("%1 is not a position").arg(raw.toDouble());
            return out;
        }
        out.position = Position{quint64(i), quint64(i)};
        return out;
    }
    const QString text = raw.isString()
        ? raw.toString().trimmed()
        : QString::fromUtf8(QJsonDocument(QJsonArray{raw}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    static const QRegularExpression re(QStringLiteral("^(\\d{1,20})(?:/(\\d{1,20}))?$"));
    const QRegularExpressionMatch m = re.match(text);
    bool okCommit = false, okPrepare = true;
    if (m.hasMatch()) {
        out.position.commit = m.captured(1).toULongLong(&okCommit);
        out.position.prepare = m.captured(2).isEmpty() ? out.position.commit : m.captured(2).toULongLong(&okPrepare);
    }
    if (!m.hasMatch() || !okCommit || !okPrepare)
        out.error = QStringLiteral("\"%1\" is not a position (expected a commit position, or commit/prepare)")
                        .arg(text.left(80));
    return out;
}

} // namespace chronoscope::readmodel
