// A child process for the crash tests of core/correct: it writes drafts in a loop until it is
// killed (tst_draftstore).
//
//   correct_write_helper drafts <dir> <drafts> <padBytes>   save the drafts round-robin, forever
//
// drafts: every draft's data is {"k":k,"gen":g,"pad":"<padBytes × one letter chosen by g>"}; the
// helper prints "begin k g" before a save and "saved k g" after it, so the test knows which
// versions may be on disk when it kills the helper. A restarted helper goes on from the drafts on disk.
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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args.at(1) == QLatin1String("drafts"))
        return drafts(args.at(2), args.at(3).toInt(), args.at(4).toInt());
    std::fprintf(stderr, "usage: correct_write_helper drafts <dir> <drafts> <padBytes>\n");
    return 2;
}
