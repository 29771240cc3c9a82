// A child process for the crash and concurrency tests of core/correct: it writes drafts or audit
// records in a loop until it is told to stop or killed (tst_draftstore, tst_auditlog).
//
//   correct_write_helper drafts <dir> <drafts> <padBytes>   save the drafts round-robin, forever
//   correct_write_helper audit <log> <appends> <tag>          attempt + outcome records; appends < 0: forever
//
// drafts: every draft's data is {"k":k,"gen":g,"pad":"<padBytes × one letter chosen by g>"}; the
// helper prints "begin k g" before a save and "saved k g" after it, so the test knows which
// versions may be on disk when it kills the helper. A restarted helper goes on from the drafts on disk.
#include "correct/AuditLog.h"
#include "correct/DraftStore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace chronoscope;

namespace {

QString payload(int k, int gen, int padBytes)
{
    QJsonObject o;
    o.insert(QLatin1String("k"), k);
    o.insert(QLatin1String("gen"), gen);
    o.insert(QLatin1String("pad"), QString(padBytes, QChar(u'a' + gen % 26)));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void say(const char *what, int k, int gen)
{
    std::printf("%s %d %d\n", what, k, gen);
    std::fflush(stdout);
}

int drafts(const QString &dir, int count, int padBytes)
{
    const DraftStore store(dir);
    const DraftStore::Listing listing = store.loadAll();
    QList<EventDraft> drafts(count);
    QList<int> gens(count, -1);
    for (const EventDraft &d : listing.drafts) {
        const QJsonObject data = QJsonDocument::fromJson(d.data.toUtf8()).object();
        const int k = data.value(QLatin1String("k")).toInt(-1);
        if (k >= 0 && k < count) {
            drafts[k] = d;
            gens[k] = data.value(QLatin1String("gen")).toInt();
        }
    }
    for (int k = 0;; k = (k + 1) % count) {
        if (gens[k] < 0) {
            drafts[k] = EventDraft::create(QStringLiteral("helper-%1").arg(k), ExpectedState::at(quint64(k)));
            drafts[k].eventType = QStringLiteral("HelperSaved");
        }
        const int gen = gens[k] + 1;
        drafts[k].data = payload(k, gen, padBytes);
        drafts[k].touch();
        say("begin", k, gen);
        if (const QString error = store.save(drafts[k]); !error.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        gens[k] = gen;
        say("saved", k, gen);
    }
}

int audit(const QString &path, int appends, const QString &tag)
{
    const AuditLog log(path);
    AuditOperator op;
    op.osUser = tag;
    op.connectionUser = QStringLiteral("admin");
    op.connection = QStringLiteral("esdb://admin:***@localhost:2113?tls=false");
    for (int i = 0; appends < 0 || i < appends; ++i) {
        AuditAttempt attempt;
        attempt.draftId = QUuid::createUuid();
        attempt.eventId = QUuid::createUuid();
        attempt.stream = QStringLiteral("writer-") + tag;
        attempt.expected = ExpectedState::at(quint64(i));
        attempt.eventType = QStringLiteral("Written");
        attempt.data = QStringLiteral("{\"i\":%1}").arg(i);
        attempt.reason = QStringLiteral("concurrency test");
        attempt.op = op;
        const AuditLog::Written written = log.recordAttempt(attempt);
        const AuditLog::Written outcome = written.ok()
            ? log.recordOutcome(written.seq, attempt,
                                AuditOutcome::appended(quint64(i) + 1, Position{quint64(i), quint64(i)}))
            : written;
        if (!outcome.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(outcome.error));
            return 1;
        }
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args.at(1) == QLatin1String("drafts"))
        return drafts(args.at(2), args.at(3).toInt(), args.at(4).toInt());
    if (args.size() == 5 && args.at(1) == QLatin1String("audit"))
        return audit(args.at(2), args.at(3).toInt(), args.at(4));
    std::fprintf(stderr,
                 "usage: correct_write_helper drafts <dir> <drafts> <padBytes> | audit <log> <appends> <tag>\n");
    return 2;
}
