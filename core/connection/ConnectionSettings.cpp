#include "connection/ConnectionSettings.h"

#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace chronoscope {
namespace {

const QStringList kSchemes = {QStringLiteral("esdb"), QStringLiteral("kurrentdb"), QStringLiteral("kurrent"),
                              QStringLiteral("kdb")};

QString normalisedKey(QString key)
{
    key.remove(QLatin1Char('-'));
    key.remove(QLatin1Char('_'));
    return key.toLower();
}

bool parseBool(const QString &v, bool *out)
{
    const QString l = v.toLower();
    if (l == QLatin1String("true")) { *out = true; return true; }
    if (l == QLatin1String("false")) { *out = false; return true; }
    return false;
}

QString badValue(const QString &key, const QString &value, const QString &expected)
{
    return QStringLiteral("invalid value '%1' for key '%2' (expected %3)").arg(value, key, expected);
}

QString parseHost(const QString &text, EndPoint *out)
{
    QString host = text;
    QString port;
    if (host.startsWith(QLatin1Char('['))) { // IPv6 literal
        const int close = host.indexOf(QLatin1Char(']'));
        if (close < 0)
            return QStringLiteral("host '%1' has an unclosed '['").arg(text);
        const QString rest = host.mid(close + 1);
        host = host.mid(1, close - 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return QStringLiteral("unexpected text after host '%1'").arg(text);
            port = rest.mid(1);
        }
    } else {
        const int colon = host.lastIndexOf(QLatin1Char(':'));
        if (colon >= 0) {
            port = host.mid(colon + 1);
            host = host.left(colon);
        }
    }
    if (host.isEmpty())
        return QStringLiteral("empty host in '%1'").arg(text);
    // A host the settings could not write back ("::1]" read as a name; a '[' inside brackets) is refused:
    // the redacted form the window shows, and users paste back, must parse to the same hosts.
    if (host.contains(QLatin1Char('[')) || host.contains(QLatin1Char(']'))
        || (!text.startsWith(QLatin1Char('[')) && host.contains(QLatin1Char(':'))))
        return QStringLiteral("host '%1' is not a host name or address (an IPv6 address goes in brackets: "
                              "[::1]:2113)")
            .arg(text);
    out->host = host;
    if (!port.isNull()) {
        bool ok = false;
        const int p = port.toInt(&ok);
        if (!ok || p < 1 || p > 65535)
            return QStringLiteral("invalid port '%1' in host '%2' (expected 1-65535)").arg(port, text);
        out->port = quint16(p);
    }
    return {};
}

} // namespace

QString EndPoint::toString() const
{
    // One arg() call: chained ones would substitute a '%0'…'%99' inside the host (an IPv6 zone id has '%').
    const QString p = QString::number(port);
    return host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host, p)
                                           : QStringLiteral("%1:%2").arg(host, p);
}

QString ConnectionSettings::nodePreferenceName(NodePreference p)
{
    switch (p) {
    case NodePreference::Leader: return QStringLiteral("leader");
    case NodePreference::Follower: return QStringLiteral("follower");
    case NodePreference::Random: return QStringLiteral("random");
    case NodePreference::ReadOnlyReplica: return QStringLiteral("readOnlyReplica");
    }
    return {};
}

QString ConnectionSettings::toRedactedString() const
{
    QString s = scheme + (discover ? QStringLiteral("+discover") : QString()) + QStringLiteral("://");
    if (hasCredentials())
        s += QString::fromUtf8(QUrl::toPercentEncoding(username)) + QStringLiteral(":***@");
    QStringList hs;
    for (const EndPoint &h : hosts)
        hs << h.toString();
    s += hs.join(QLatin1Char(','));
    QStringList q;
    q << QStringLiteral("tls=") + (tls ? QStringLiteral("true") : QStringLiteral("false"));
    if (!tlsVerifyCert)
        q << QStringLiteral("tlsVerifyCert=false");
    if (!tlsCaFile.isEmpty())
        q << QStringLiteral("tlsCAFile=") + tlsCaFile;
    if (nodePreference != NodePreference::Leader)
        q << QStringLiteral("nodePreference=") + nodePreferenceName(nodePreference);
    return s + QStringLiteral("?") + q.join(QLatin1Char('&'));
}

namespace {

/// What could be a password in `text`: everything between the first ':' of the user info and the
/// last '@'. Found without trusting the grammar, since a malformed string is exactly when it matters.
QString secretCandidate(const QString &text)
{
    const int sep = text.indexOf(QStringLiteral("://"));
    const int start = sep < 0 ? 0 : sep + 3;
    const int at = text.lastIndexOf(QLatin1Char('@'));
    if (at <= start) {
        // No '@': "user:password" with the host forgotten reads as a host with a bad port. A port
        // has at most 5 characters, so a longer "port" is treated as a password; a short typo
        // ("h:abc") stays quoted to help the user.
        QString authority = text.mid(start);
        const int end = authority.indexOf(QRegularExpression(QStringLiteral("[/?,]")));
        if (end >= 0)
            authority.truncate(end);
        const int colon = authority.lastIndexOf(QLatin1Char(':'));
        const QString port = colon < 0 ? QString() : authority.mid(colon + 1);
        bool numeric = false;
        port.toInt(&numeric);
        return numeric || port.size() <= 5 || authority.startsWith(QLatin1Char('[')) ? QString() : port;
    }
    const QString userInfo = text.mid(start, at - start);
    const int colon = userInfo.indexOf(QLatin1Char(':'));
    return colon < 0 ? userInfo : userInfo.mid(colon + 1);
}

bool sharesText(const QString &a, const QString &secret)
{
    const int n = std::min<int>(3, int(secret.size()));
    if (n == 0)
        return false;
    for (int i = 0; i + n <= secret.size(); ++i)
        if (a.contains(secret.mid(i, n)))
            return true;
    return false;
}

/// Error and warning texts quote parts of the input; a quoted part that may hold a piece of the
/// password (an unencoded '/', '?' or '@' in it moves the split points) becomes '***'.
QString redacted(const QString &message, const QString &text)
{
    QString secret = secretCandidate(text);
    if (secret.isEmpty())
        return message;
    const QString decoded = QUrl::fromPercentEncoding(secret.toUtf8());
    QString out;
    int pos = 0;
    while (pos < message.size()) {
        const int open = message.indexOf(QLatin1Char('\''), pos);
        const int close = open < 0 ? -1 : message.indexOf(QLatin1Char('\''), open + 1);
        if (close < 0) {
            out += message.mid(pos);
            break;
        }
        const QString quoted = message.mid(open + 1, close - open - 1);
        out += message.mid(pos, open - pos + 1);
        out += sharesText(quoted, secret) || sharesText(quoted, decoded) ? QStringLiteral("***") : quoted;
        out += QLatin1Char('\'');
        pos = close + 1;
    }
    out.replace(secret, QStringLiteral("***"));
    if (!decoded.isEmpty())
        out.replace(decoded, QStringLiteral("***"));
    return out;
}

} // namespace

ConnectionString::Result ConnectionString::parse(const QString &input)
{
    Result r = parseUnredacted(input);
    if (!r.error.isEmpty())
        r.error = redacted(r.error, input);
    for (QString &w : r.settings.warnings)
        w = redacted(w, input);
    return r;
}

ConnectionString::Result ConnectionString::parseUnredacted(const QString &input)
{
    Result r;
    ConnectionSettings &s = r.settings;
    const QString text = input.trimmed();
    const int sep = text.indexOf(QStringLiteral("://"));
    if (sep <= 0) {
        r.error = QStringLiteral("missing scheme: a connection string starts with kurrentdb://, esdb://, "
                                 "kurrent:// or kdb:// (optionally +discover)");
        return r;
    }
    QString scheme = text.left(sep).toLower();
    if (scheme.endsWith(QLatin1String("+discover"))) {
        s.discover = true;
        scheme.chop(int(qstrlen("+discover")));
    }
    if (!kSchemes.contains(scheme)) {
        r.error = QStringLiteral("unknown scheme '%1' (expected esdb, kurrentdb, kurrent or kdb, optionally "
                                 "with +discover)").arg(text.left(sep));
        return r;
    }
    s.scheme = scheme;
    if (scheme == QLatin1String("esdb"))
        s.warnings << QStringLiteral("the esdb:// scheme is deprecated; use kurrentdb://");

    QString rest = text.mid(sep + 3);
    QString query;
    const int qmark = rest.indexOf(QLatin1Char('?'));
    if (qmark >= 0) {
        query = rest.mid(qmark + 1);
        rest = rest.left(qmark);
    }
    if (rest.endsWith(QLatin1Char('/')))
        rest.chop(1);
    if (rest.contains(QLatin1Char('/'))) {
        r.error = QStringLiteral("unexpected path '%1' after the hosts").arg(rest.mid(rest.indexOf(QLatin1Char('/'))));
        return r;
    }
    const int at = rest.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        const QString userInfo = rest.left(at);
        rest = rest.mid(at + 1);
        const int colon = userInfo.indexOf(QLatin1Char(':'));
        if (colon < 0) {
            r.error = QStringLiteral("user info must be 'user:password'");
            return r;
        }
        s.username = QUrl::fromPercentEncoding(userInfo.left(colon).toUtf8());
        s.password = QUrl::fromPercentEncoding(userInfo.mid(colon + 1).toUtf8());
        if (s.username.isEmpty()) {
            r.error = QStringLiteral("user info has an empty user name");
            return r;
        }
    }
    if (rest.isEmpty()) {
        r.error = QStringLiteral("no host given");
        return r;
    }
    const QStringList hostParts = rest.split(QLatin1Char(','));
    for (const QString &part : hostParts) {
        EndPoint ep;
        const QString err = parseHost(part.trimmed(), &ep);
        if (!err.isEmpty()) {
            r.error = err;
            return r;
        }
        s.hosts << ep;
    }

    if (!query.isEmpty()) {
        const QStringList pairs = query.split(QLatin1Char('&'), Qt::SkipEmptyParts);
        for (const QString &pair : pairs) {
            const int eq = pair.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                r.error = QStringLiteral("query parameter '%1' is not key=value").arg(pair);
                return r;
            }
            const QString key = pair.left(eq);
            const QString value = QUrl::fromPercentEncoding(pair.mid(eq + 1).toUtf8());
            const QString k = normalisedKey(key);
            bool ok = true;
            auto intValue = [&](int min, int *out) {
                bool isInt = false;
                const int v = value.toInt(&isInt);
                if (!isInt || v < min) {
                    r.error = badValue(key, value, min < 0 ? QStringLiteral("an integer, or -1 for off")
                                                           : QStringLiteral("an integer >= %1").arg(min));
                    return false;
                }
                *out = v;
                return true;
            };
            if (k == QLatin1String("tls")) {
                if (!parseBool(value, &s.tls)) { r.error = badValue(key, value, QStringLiteral("true or false")); return r; }
            } else if (k == QLatin1String("tlsverifycert")) {
                if (!parseBool(value, &s.tlsVerifyCert)) { r.error = badValue(key, value, QStringLiteral("true or false")); return r; }
            } else if (k == QLatin1String("tlscafile")) {
                s.tlsCaFile = value;
            } else if (k == QLatin1String("usercertfile")) {
                s.userCertFile = value;
            } else if (k == QLatin1String("userkeyfile")) {
                s.userKeyFile = value;
            } else if (k == QLatin1String("nodepreference")) {
                const QString v = value.toLower();
                if (v == QLatin1String("leader")) s.nodePreference = NodePreference::Leader;
                else if (v == QLatin1String("follower")) s.nodePreference = NodePreference::Follower;
                else if (v == QLatin1String("random")) s.nodePreference = NodePreference::Random;
                else if (v == QLatin1String("readonlyreplica")) s.nodePreference = NodePreference::ReadOnlyReplica;
                else { r.error = badValue(key, value, QStringLiteral("leader, follower, random or readOnlyReplica")); return r; }
            } else if (k == QLatin1String("defaultdeadline")) {
                ok = intValue(1, &s.defaultDeadlineMs);
            } else if (k == QLatin1String("keepaliveinterval")) {
                ok = intValue(-1, &s.keepAliveIntervalMs);
                if (ok && s.keepAliveIntervalMs >= 0 && s.keepAliveIntervalMs < 10000)
                    s.warnings << QStringLiteral("keepAliveInterval below 10000 ms may cause needless reconnects");
            } else if (k == QLatin1String("keepalivetimeout")) {
                ok = intValue(-1, &s.keepAliveTimeoutMs);
            } else if (k == QLatin1String("connectionname")) {
                s.connectionName = value;
            } else if (k == QLatin1String("maxdiscoverattempts")) {
                ok = intValue(1, &s.maxDiscoverAttempts);
            } else if (k == QLatin1String("discoveryinterval")) {
                ok = intValue(0, &s.discoveryIntervalMs);
            } else if (k == QLatin1String("gossiptimeout")) {
                ok = intValue(1, &s.gossipTimeoutMs);
                // Node reads this key in seconds, Rust and .NET in milliseconds: small values are seconds.
                if (ok && s.gossipTimeoutMs < 100) {
                    s.warnings << QStringLiteral("gossipTimeout=%1 read as seconds").arg(s.gossipTimeoutMs);
                    s.gossipTimeoutMs *= 1000;
                }
            } else if (k == QLatin1String("throwonappendfailure")) {
                if (!parseBool(value, &s.throwOnAppendFailure)) { r.error = badValue(key, value, QStringLiteral("true or false")); return r; }
            } else {
                s.warnings << QStringLiteral("unknown key '%1' ignored").arg(key);
            }
            if (!ok)
                return r;
        }
    }
    if (s.userCertFile.isEmpty() != s.userKeyFile.isEmpty()) {
        r.error = QStringLiteral("userCertFile and userKeyFile must be given together");
        return r;
    }
    if (!s.tls && !s.tlsVerifyCert)
        s.warnings << QStringLiteral("tlsVerifyCert has no effect when tls=false");
    return r;
}

} // namespace chronoscope
