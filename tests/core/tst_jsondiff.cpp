#include "json/DiffText.h"
#include "json/JsonDiff.h"
#include "json/JsonFormat.h"
#include "json/UnifiedDiff.h"
#include "payload/PayloadDecoder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace chronoscope;
using namespace chronoscope::engine;

namespace {

QString diffDir()
{
    return QStringLiteral(CHRONOSCOPE_TEST_DATA "/diff/");
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

QJsonValue readJson(const QString &path)
{
    const DecodedPayload p = PayloadDecoder::decodeJson(readFile(path));
    if (!p.isJson())
        qWarning("%s: %s", qPrintable(path), qPrintable(p.message));
    return p.json;
}

DiffOptions readOptions(const QString &path)
{
    DiffOptions o;
    if (!QFile::exists(path))
        return o;
    const QJsonObject j = QJsonDocument::fromJson(readFile(path)).object();
    for (const QJsonValue &k : j.value(QStringLiteral("idKeys")).toArray())
        o.idKeys.append(k.toString());
    const QJsonObject byPath = j.value(QStringLiteral("idKeyByPath")).toObject();
    for (auto it = byPath.constBegin(); it != byPath.constEnd(); ++it)
        o.idKeyByPath.insert(it.key(), it.value().toString());
    o.reportMoves = j.value(QStringLiteral("reportMoves")).toBool(true);
    return o;
}

QString kindName(DiffNode::Kind k)
{
    switch (k) {
    case DiffNode::Kind::Unchanged: return QStringLiteral("Unchanged");
    case DiffNode::Kind::Added: return QStringLiteral("Added");
    case DiffNode::Kind::Removed: return QStringLiteral("Removed");
    case DiffNode::Kind::Changed: return QStringLiteral("Changed");
    case DiffNode::Kind::ChildrenChanged: return QStringLiteral("ChildrenChanged");
    }
    return QString();
}

QString index(qsizetype i)
{
    return i < 0 ? QStringLiteral("-") : QString::number(i);
}

// One line per node: key (or [beforeIndex|afterIndex] for array elements), kind, "moved".
void printTree(const DiffNode &n, int depth, bool root, QString &out)
{
    out += QString(depth * 2, QLatin1Char(' '));
    if (root)
        out += QStringLiteral("(root)");
    else if (n.segment.isIndex())
        out += QLatin1Char('[') % index(n.beforeIndex) % QLatin1Char('|') % index(n.afterIndex) % QLatin1Char(']');
    else
        out += n.segment.key;
    out += QLatin1Char(' ') % kindName(n.kind) % (n.moved ? QStringLiteral(" moved") : QString()) % QLatin1Char('\n');
    for (const DiffNode &c : n.children)
        printTree(c, depth + 1, false, out);
}

} // namespace

class TestJsonDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList files = QDir(diffDir()).entryList({QStringLiteral("*.before.json")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 15);
        for (const QString &f : files) {
            const QString name = f.chopped(int(qstrlen(".before.json")));
            QTest::addRow("%s", qPrintable(name)) << name;
        }
    }
    void fixtures()
    {
        QFETCH(QString, name);
        const QString base = diffDir() + name;
        const QJsonValue before = readJson(base + QStringLiteral(".before.json"));
        const QJsonValue after = readJson(base + QStringLiteral(".after.json"));
        QVERIFY(!before.isUndefined());
        QVERIFY(!after.isUndefined());
        const DiffOptions options = readOptions(base + QStringLiteral(".options.json"));
        const DiffResult r = JsonDiff::diff(before, after, options);
        QVERIFY2(QFile::exists(base + QStringLiteral(".expected.txt")), "every fixture has a hand-written expectation");
        QCOMPARE(DiffText::render(r.entries), QString::fromUtf8(readFile(base + QStringLiteral(".expected.txt"))));

        // Summary counts agree with the entries.
        int counts[4] = {0, 0, 0, 0};
        for (const DiffEntry &e : r.entries)
            ++counts[int(e.kind)];
        QCOMPARE(r.summary.added, counts[int(DiffEntry::Kind::Added)]);
        QCOMPARE(r.summary.removed, counts[int(DiffEntry::Kind::Removed)]);
        QCOMPARE(r.summary.changed, counts[int(DiffEntry::Kind::Changed)]);
        QCOMPARE(r.summary.moved, counts[int(DiffEntry::Kind::Moved)]);
        QCOMPARE(r.tree.kind == DiffNode::Kind::Unchanged, r.isEmpty());

        // The unified view holds both documents: ' ' + '-' lines are the pretty before, ' ' + '+' the after.
        // (With moves ignored, a reordered array counts as unchanged and shows in its after order.)
        const auto lines = UnifiedDiff::lines(r.tree);
        if (options.reportMoves)
            QCOMPARE(UnifiedDiff::side(lines, '-'), JsonFormat::prettyLines(before));
        QCOMPARE(UnifiedDiff::side(lines, '+'), JsonFormat::prettyLines(after));

        if (QFile::exists(base + QStringLiteral(".unified.txt")))
            QCOMPARE(UnifiedDiff::render(r.tree), QString::fromUtf8(readFile(base + QStringLiteral(".unified.txt"))));
        if (QFile::exists(base + QStringLiteral(".tree.txt"))) {
            QString tree;
            printTree(r.tree, 0, true, tree);
            QCOMPARE(tree, QString::fromUtf8(readFile(base + QStringLiteral(".tree.txt"))));
        }
    }

    void summaryOfMixed()
    {
        const QString base = diffDir() + QStringLiteral("mixed");
        const DiffResult r = JsonDiff::diff(readJson(base + QStringLiteral(".before.json")),
                                            readJson(base + QStringLiteral(".after.json")), DiffOptions::byId({QStringLiteral("id")}));
        QCOMPARE(r.summary.added, 3);
        QCOMPARE(r.summary.removed, 1);
        QCOMPARE(r.summary.changed, 1);
        QCOMPARE(r.summary.moved, 1);
        QCOMPARE(r.summary.unchanged, 5); // a, and id + v of the two paired items
        // Paths point into the after document, beforePath into the before one.
        const DiffEntry &moved = r.entries.at(3);
        QCOMPARE(moved.kind, DiffEntry::Kind::Moved);
        QCOMPARE(moved.path.toPointer(), QStringLiteral("/items/0"));
        QCOMPARE(moved.beforePath.toPointer(), QStringLiteral("/items/1"));
    }

    void numbersByValue_data()
    {
        QTest::addColumn<QJsonValue>("a");
        QTest::addColumn<QJsonValue>("b");
        QTest::addColumn<bool>("equal");
        const qint64 p53 = qint64(1) << 53;
        QTest::addRow("int 1 vs double 1.0") << QJsonValue(qint64(1)) << QJsonValue(1.0) << true;
        QTest::addRow("int 1 vs double 1.5") << QJsonValue(qint64(1)) << QJsonValue(1.5) << false;
        QTest::addRow("2^53+1 vs 2^53 ints") << QJsonValue(p53 + 1) << QJsonValue(p53) << false;
        QTest::addRow("2^53+1 int vs 2^53 double") << QJsonValue(p53 + 1) << QJsonValue(double(p53)) << false;
        QTest::addRow("2^53 int vs 2^53 double") << QJsonValue(p53) << QJsonValue(double(p53)) << true;
        QTest::addRow("int64 max vs 2^63 double") << QJsonValue(std::numeric_limits<qint64>::max())
                                                  << QJsonValue(9223372036854775808.0) << false;
        QTest::addRow("int64 min vs -2^63 double") << QJsonValue(std::numeric_limits<qint64>::min())
                                                   << QJsonValue(-9223372036854775808.0) << true;
        QTest::addRow("0 vs -0.0") << QJsonValue(qint64(0)) << QJsonValue(-0.0) << true;
        QTest::addRow("0.1+0.2 vs 0.3") << QJsonValue(0.1 + 0.2) << QJsonValue(0.3) << false;
        QTest::addRow("number vs string") << QJsonValue(qint64(1)) << QJsonValue(QStringLiteral("1")) << false;
    }
    void numbersByValue()
    {
        QFETCH(QJsonValue, a);
        QFETCH(QJsonValue, b);
        QFETCH(bool, equal);
        QCOMPARE(JsonFormat::numbersEqual(a, b), equal);
        const DiffResult r = JsonDiff::diff(QJsonObject{{QStringLiteral("n"), a}}, QJsonObject{{QStringLiteral("n"), b}});
        QCOMPARE(r.isEmpty(), equal);
    }

    void parsedNumberPrecision_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::addRow("integers above 2^53 stay exact") << QByteArray("[9007199254740993]") << QByteArray("[9007199254740992]") << false;
        QTest::addRow("int64 max") << QByteArray("[9223372036854775807]") << QByteArray("[9223372036854775806]") << false;
        // Limits of Qt's parser: with a fraction, or past 64 bits, a number is a double.
        QTest::addRow("fraction rounds to 2^53") << QByteArray("[9007199254740993.0]") << QByteArray("[9007199254740992]") << true;
        QTest::addRow("beyond int64") << QByteArray("[18446744073709551615]") << QByteArray("[18446744073709551616]") << true;
        QTest::addRow("1.0 is 1") << QByteArray("[1.0]") << QByteArray("[1]") << true;
        QTest::addRow("1e2 is 100") << QByteArray("[1e2]") << QByteArray("[100]") << true;
    }
    void parsedNumberPrecision()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        const DiffResult r = JsonDiff::diff(PayloadDecoder::decodeJson(a).json, PayloadDecoder::decodeJson(b).json);
        QCOMPARE(r.isEmpty(), equal);
    }

    void absentDocuments()
    {
        const QJsonObject doc{{QStringLiteral("a"), 1}};
        const DiffResult added = JsonDiff::diff(QJsonValue(QJsonValue::Undefined), doc);
        QCOMPARE(DiffText::render(added.entries), QStringLiteral("+ (root): {\"a\":1}\n"));
        QCOMPARE(added.tree.kind, DiffNode::Kind::Added);
        QCOMPARE(UnifiedDiff::render(added.tree), QStringLiteral("+{\n+  \"a\": 1\n+}\n"));
        const DiffResult removed = JsonDiff::diff(doc, QJsonValue(QJsonValue::Undefined));
        QCOMPARE(DiffText::render(removed.entries), QStringLiteral("- (root): {\"a\":1}\n"));
        const DiffResult none = JsonDiff::diff(QJsonValue(QJsonValue::Undefined), QJsonValue(QJsonValue::Undefined));
        QVERIFY(none.isEmpty());
        QCOMPARE(UnifiedDiff::render(none.tree), QString());
    }

    void unifiedContext_data()
    {
        QTest::addColumn<int>("context");
        QTest::addColumn<QString>("expected");
        QTest::addRow("0") << 0
                           << QStringLiteral("@@ 1 unchanged line @@\n-  \"coupon\": \"X\",\n+  \"note\": \"fast\",\n"
                                             "-  \"status\": \"placed\",\n+  \"status\": \"paid\",\n@@ 2 unchanged lines @@\n");
        QTest::addRow("1") << 1
                           << QStringLiteral(" {\n-  \"coupon\": \"X\",\n+  \"note\": \"fast\",\n"
                                             "-  \"status\": \"placed\",\n+  \"status\": \"paid\",\n   \"total\": 10\n"
                                             "@@ 1 unchanged line @@\n");
    }
    void unifiedContext()
    {
        QFETCH(int, context);
        QFETCH(QString, expected);
        const QString base = diffDir() + QStringLiteral("objects_flat");
        const DiffResult r = JsonDiff::diff(readJson(base + QStringLiteral(".before.json")),
                                            readJson(base + QStringLiteral(".after.json")));
        UnifiedDiffOptions o;
        o.context = context;
        QCOMPARE(UnifiedDiff::render(r.tree, o), expected);
        o.beforeLabel = QStringLiteral("order-1@5");
        o.afterLabel = QStringLiteral("order-1@6");
        QVERIFY(UnifiedDiff::render(r.tree, o).startsWith(QStringLiteral("--- order-1@5\n+++ order-1@6\n")));
    }

    void pointers_data()
    {
        QTest::addColumn<QStringList>("keys"); // "#3" is index 3
        QTest::addColumn<QString>("pointer");
        QTest::addRow("root") << QStringList{} << QString();
        QTest::addRow("plain") << QStringList{QStringLiteral("orders"), QStringLiteral("#3"), QStringLiteral("total")}
                               << QStringLiteral("/orders/3/total");
        QTest::addRow("slash") << QStringList{QStringLiteral("a/b")} << QStringLiteral("/a~1b");
        QTest::addRow("tilde") << QStringList{QStringLiteral("m~n")} << QStringLiteral("/m~0n");
        QTest::addRow("tilde one") << QStringList{QStringLiteral("~1")} << QStringLiteral("/~01");
        QTest::addRow("empty key") << QStringList{QString()} << QStringLiteral("/");
    }
    void pointers()
    {
        QFETCH(QStringList, keys);
        QFETCH(QString, pointer);
        JsonPath p;
        for (const QString &k : keys)
            p.push(k.startsWith(QLatin1Char('#')) ? PathSegment::ofIndex(k.mid(1).toInt()) : PathSegment::ofKey(k));
        QCOMPARE(p.toPointer(), pointer);
        JsonPath back;
        QVERIFY(JsonPath::fromPointer(pointer, &back));
        QCOMPARE(back, p);
    }

    void malformedPointers()
    {
        JsonPath p;
        QVERIFY(!JsonPath::fromPointer(QStringLiteral("a"), &p));
        QVERIFY(!JsonPath::fromPointer(QStringLiteral("/a~2"), &p));
        QVERIFY(!JsonPath::fromPointer(QStringLiteral("/a~"), &p));
    }

    void pathOrderIsNumericForIndices()
    {
        const JsonPath a = JsonPath().child(QStringLiteral("items")).child(2);
        const JsonPath b = JsonPath().child(QStringLiteral("items")).child(10);
        QVERIFY(JsonPath::compare(a, b) < 0);
        QVERIFY(JsonPath::compare(b, a) > 0);
        QVERIFY(JsonPath::compare(JsonPath().child(QStringLiteral("items")), a) < 0);
        QCOMPARE(JsonPath::compare(a, a), 0);
    }

    void unusablePerPathKeyFallsBackWithNote()
    {
        const QJsonObject before{{QStringLiteral("items"), QJsonArray{QJsonObject{{QStringLiteral("sku"), QStringLiteral("a")}}, QJsonObject{{QStringLiteral("sku"), QStringLiteral("a")}}}}};
        const QJsonObject after{{QStringLiteral("items"), QJsonArray{QJsonObject{{QStringLiteral("sku"), QStringLiteral("b")}}}}};
        DiffOptions o;
        o.idKeyByPath.insert(QStringLiteral("/items"), QStringLiteral("sku"));
        const DiffResult r = JsonDiff::diff(before, after, o);
        QCOMPARE(DiffText::render(r.entries), QStringLiteral("~ /items/0/sku: \"a\" -> \"b\"\n- /items/1: {\"sku\":\"a\"}\n"));
        QCOMPARE(r.notes.size(), 1);
        QVERIFY2(r.notes.first().contains(QStringLiteral("appears twice")), qPrintable(r.notes.first()));
        QVERIFY(r.notes.first().startsWith(QStringLiteral("/items: ")));
    }

    void idCandidatesSkipArraysWithoutTheKey()
    {
        // Scalars cannot be paired by id: index pairing, and no note (candidates are only hints).
        const DiffResult r = JsonDiff::diff(QJsonArray{1, 2}, QJsonArray{2, 1}, DiffOptions::byId({QStringLiteral("id")}));
        QCOMPARE(DiffText::render(r.entries), QStringLiteral("~ /0: 1 -> 2\n~ /1: 2 -> 1\n"));
        QVERIFY(r.notes.isEmpty());
    }

    void keyOrderDoesNotDependOnHowTheObjectWasBuilt()
    {
        // A parsed object iterates {"Ａ","😀"} by code point, an inserted one by UTF-16 unit (and Qt's
        // operator== calls them different): the diff and the renderings must not care.
        const QString astral = QString::fromUtf8("\xF0\x9F\x98\x80"), wide = QString::fromUtf8("\xEF\xBC\xA1");
        QJsonObject built;
        built.insert(astral, 1);
        built.insert(wide, QJsonObject{{astral, 2}, {wide, 3}});
        const QJsonValue parsed = PayloadDecoder::decodeJson(QJsonDocument(built).toJson()).json;
        QVERIFY(JsonDiff::diff(built, parsed).isEmpty());
        QVERIFY(JsonFormat::valuesEqual(built, parsed));
        QCOMPARE(JsonFormat::compact(parsed), JsonFormat::compact(built));
        QCOMPARE(JsonFormat::compact(built), QString(QStringLiteral("{\"") + wide + QStringLiteral("\":{\"") + wide
                                                     + QStringLiteral("\":3,\"") + astral + QStringLiteral("\":2},\"")
                                                     + astral + QStringLiteral("\":1}")));
        // Qt's raw parse, rebuilt by nobody: the diff reads members by iteration and still agrees.
        const QJsonObject raw = QJsonDocument::fromJson("{\"\xF0\x9F\x98\x80\":1,\"\\ufeff\":2}").object();
        QJsonObject same;
        same.insert(astral, 1);
        same.insert(QString(QChar(0xFEFF)), 2);
        QVERIFY(JsonDiff::diff(raw, same).isEmpty());
    }

    void deepestParsedDocuments()
    {
        // 1024 levels is the most QJsonDocument parses: the diff, text and unified views cope.
        const QByteArray open(1024, '['), close(1024, ']');
        const DecodedPayload a = PayloadDecoder::decodeJson(open + "1" + close);
        const DecodedPayload b = PayloadDecoder::decodeJson(open + "2" + close);
        QVERIFY(a.isJson() && b.isJson());
        const DiffResult r = JsonDiff::diff(a.json, b.json);
        QCOMPARE(r.entries.size(), 1);
        QCOMPARE(r.entries.first().path.depth(), 1024);
        QVERIFY(DiffText::render(r.entries).endsWith(QStringLiteral("/0: 1 -> 2\n")));
        const auto lines = UnifiedDiff::lines(r.tree);
        QCOMPARE(lines.size(), 2 * 1024 + 2);
        QCOMPARE(lines.at(1024).text.trimmed(), QStringLiteral("1"));
        QCOMPARE(lines.at(1024).marker, '-');
        QCOMPARE(lines.at(1025).marker, '+');
    }

    void largeDocumentsById()
    {
        // 20 000 orders (~1.5 MB), 3 changed, 1 removed, 1 inserted in the middle, 1 moved.
        QJsonArray before, after;
        for (int i = 0; i < 20000; ++i)
            before.append(QJsonObject{{QStringLiteral("orderId"), QStringLiteral("o-%1").arg(i)},
                                      {QStringLiteral("total"), i},
                                      {QStringLiteral("lines"), QJsonArray{QJsonObject{{QStringLiteral("sku"), QStringLiteral("A")}}}}});
        after = before;
        auto set = [&](int i, int total) {
            QJsonObject o = after.at(i).toObject();
            o.insert(QStringLiteral("total"), total);
            after.replace(i, o);
        };
        set(10, -1);
        set(5000, -2);
        set(19999, -3);
        after.removeAt(7000);
        after.insert(100, QJsonObject{{QStringLiteral("orderId"), QStringLiteral("new")}});
        after.append(after.takeAt(50)); // o-50 moves to the end
        QElapsedTimer t;
        t.start();
        const DiffResult r = JsonDiff::diff(before, after, DiffOptions::byId({QStringLiteral("orderId")}));
        const QString text = DiffText::render(r.entries);
        const QString unified = UnifiedDiff::render(r.tree, UnifiedDiffOptions{3, QString(), QString()});
        qInfo("diff + renderings of two 20000-element arrays: %lld ms", t.elapsed());
        QCOMPARE(r.summary.changed, 3);
        QCOMPARE(r.summary.removed, 1);
        QCOMPARE(r.summary.added, 1);
        QCOMPARE(r.summary.moved, 1);
        // After the move (o-50 to the end) and the insertion at 100: o-10 stays at 10, o-5000 is at
        // 5000 (one out before it, one in), o-19999 ends at 19998 (o-7000 removed, o-50 after it).
        QCOMPARE(text,
                 QStringLiteral("~ /10/total: 10 -> -1\n+ /99: {\"orderId\":\"new\"}\n~ /5000/total: 5000 -> -2\n"
                                "- /7000: {\"lines\":[{\"sku\":\"A\"}],\"orderId\":\"o-7000\",\"total\":7000}\n"
                                "~ /19998/total: 19999 -> -3\n> /19999: moved from /50\n"));
        QVERIFY(unified.size() < 20000);
        QVERIFY(t.elapsed() < 10000);
    }

    void noTreeWhenNotAsked()
    {
        DiffOptions o;
        o.buildTree = false;
        const DiffResult r = JsonDiff::diff(QJsonObject{{QStringLiteral("a"), 1}}, QJsonObject{{QStringLiteral("a"), 2}}, o);
        QCOMPARE(r.entries.size(), 1);
        QVERIFY(r.tree.children.empty());
    }

    void textTruncationKeepsSurrogatePairs()
    {
        // 😀 is two UTF-16 units: cutting at 2 characters would split it, so it is left out whole.
        const QString s = QStringLiteral("\"") + QString::fromUtf8("\xF0\x9F\x98\x80") + QStringLiteral("x\"");
        QCOMPARE(JsonFormat::compact(QJsonValue(s.mid(1, 3)), 2), QStringLiteral("\"") + QChar(0x2026));
        QCOMPARE(JsonFormat::compact(QJsonValue(s.mid(1, 3)), 3), QStringLiteral("\"") + QString::fromUtf8("\xF0\x9F\x98\x80") + QChar(0x2026));
        QCOMPARE(JsonFormat::compact(QJsonValue(s.mid(1, 3)), 4), QStringLiteral("\"") + QString::fromUtf8("\xF0\x9F\x98\x80") + QStringLiteral("x") + QChar(0x2026));
        QCOMPARE(JsonFormat::compact(QJsonValue(s.mid(1, 3)), 5), s);
    }

    void compactScalars_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("text");
        QTest::addRow("null") << QJsonValue() << QStringLiteral("null");
        QTest::addRow("true") << QJsonValue(true) << QStringLiteral("true");
        QTest::addRow("int64 max") << QJsonValue(std::numeric_limits<qint64>::max()) << QStringLiteral("9223372036854775807");
        QTest::addRow("double") << QJsonValue(0.1) << QStringLiteral("0.1");
        QTest::addRow("integral double") << QJsonValue(100.0) << QStringLiteral("100");
        QTest::addRow("nan") << QJsonValue(std::nan("")) << QStringLiteral("null");
        QTest::addRow("control") << QJsonValue(QStringLiteral("a\x01\x7f")) << QStringLiteral("\"a\\u0001\\u007f\"");
        QTest::addRow("lone surrogate") << QJsonValue(QString(QChar(0xD800))) << QStringLiteral("\"\\ud800\"");
    }
    void compactScalars()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, text);
        QCOMPARE(JsonFormat::compact(value), text);
    }

    void deepHandBuiltValuesStopAtMaxDepth()
    {
        QJsonValue a = 1, b = 2;
        for (int i = 0; i < 40; ++i) {
            a = QJsonArray{a};
            b = QJsonArray{b};
        }
        DiffOptions o;
        o.maxDepth = 10;
        const DiffResult r = JsonDiff::diff(a, b, o);
        QCOMPARE(r.entries.size(), 1);
        QCOMPARE(r.entries.first().path.depth(), 10);
        QCOMPARE(r.notes.size(), 1);
        QCOMPARE(JsonDiff::diff(a, b).entries.first().path.depth(), 40);
    }
};

QTEST_GUILESS_MAIN(TestJsonDiff)
#include "tst_jsondiff.moc"
