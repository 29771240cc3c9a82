#include "json/UnifiedDiff.h"

#include "json/JsonFormat.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <vector>

namespace chronoscope::engine {

namespace {

using Line = UnifiedDiff::Line;

// One row of a container's body: a node shown on both sides, or only on one of them.
struct Piece
{
    const DiffNode *node = nullptr;
    bool inBefore = false;
    bool inAfter = false;
};

bool isEmptyContainer(const QJsonValue &v)
{
    return (v.isObject() && v.toObject().isEmpty()) || (v.isArray() && v.toArray().isEmpty());
}

class Writer
{
public:
    QList<Line> out;

    void node(const DiffNode &n, const QString &prefix, int indent, bool commaBefore, bool commaAfter);
    void side(char marker, const QJsonValue &value, const QString &prefix, int indent, bool comma);

private:
    void closing(const QString &text, bool commaBefore, bool commaAfter);
    void body(const DiffNode &n, bool isArray, int indent);
    static QList<Piece> arrayPieces(const DiffNode &n);
};

void Writer::side(char marker, const QJsonValue &value, const QString &prefix, int indent, bool comma)
{
    const QString pad(indent * 2, QLatin1Char(' '));
    const QStringList lines = JsonFormat::prettyLines(value);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString text = pad % (i == 0 ? prefix : QString()) % lines.at(i);
        if (comma && i + 1 == lines.size())
            text += QLatin1Char(',');
        out.append(Line{marker, text});
    }
}

// The last line of a value shown on both sides: identical unless only one side has a next sibling.
void Writer::closing(const QString &text, bool commaBefore, bool commaAfter)
{
    if (commaBefore == commaAfter) {
        out.append(Line{' ', commaBefore ? text % QLatin1Char(',') : text});
    } else {
        out.append(Line{'-', commaBefore ? text % QLatin1Char(',') : text});
        out.append(Line{'+', commaAfter ? text % QLatin1Char(',') : text});
    }
}

void Writer::node(const DiffNode &n, const QString &prefix, int indent, bool commaBefore, bool commaAfter)
{
    const QString pad(indent * 2, QLatin1Char(' '));
    switch (n.kind) {
    case DiffNode::Kind::Unchanged: {
        if (n.after.isUndefined())
            return; // both documents absent
        const QStringList lines = JsonFormat::prettyLines(n.after);
        for (qsizetype i = 0; i + 1 < lines.size(); ++i)
            out.append(Line{' ', pad % (i == 0 ? prefix : QString()) % lines.at(i)});
        closing(pad % (lines.size() == 1 ? prefix : QString()) % lines.constLast(), commaBefore, commaAfter);
        return;
    }
    case DiffNode::Kind::Added: side('+', n.after, prefix, indent, commaAfter); return;
    case DiffNode::Kind::Removed: side('-', n.before, prefix, indent, commaBefore); return;
    case DiffNode::Kind::ChildrenChanged:
        if (!isEmptyContainer(n.before) && !isEmptyContainer(n.after))
            break;
        // "{}" is one line on its side: nothing to share with the other side's lines.
        Q_FALLTHROUGH();
    case DiffNode::Kind::Changed:
        side('-', n.before, prefix, indent, commaBefore);
        side('+', n.after, prefix, indent, commaAfter);
        return;
    }
    // ChildrenChanged, both sides non-empty: shared brackets around the members' rows.
    const bool isArray = n.after.isArray();
    out.append(Line{' ', pad % prefix % (isArray ? QLatin1Char('[') : QLatin1Char('{'))});
    body(n, isArray, indent + 1);
    closing(pad % (isArray ? QLatin1Char(']') : QLatin1Char('}')), commaBefore, commaAfter);
}

// Array rows in an order each side can read in its own order: a paired element that is out of order
// (flagged moved, or behind an earlier pair when moves are not reported) is split into a '-' row at
// its before position and a '+' row at its after position.
QList<Piece> Writer::arrayPieces(const DiffNode &n)
{
    std::vector<bool> split(n.children.size(), false);
    QList<const DiffNode *> pending; // split elements, to be shown on the before side
    qsizetype lastBefore = -1;
    for (size_t k = 0; k < n.children.size(); ++k) {
        const DiffNode &c = n.children[k];
        if (c.beforeIndex < 0 || c.afterIndex < 0)
            continue;
        if (c.moved || c.beforeIndex < lastBefore) {
            split[qsizetype(k)] = true;
            pending.append(&c);
        } else {
            lastBefore = c.beforeIndex;
        }
    }
    std::sort(pending.begin(), pending.end(),
              [](const DiffNode *a, const DiffNode *b) { return a->beforeIndex < b->beforeIndex; });

    QList<Piece> pieces;
    qsizetype next = 0;
    for (size_t k = 0; k < n.children.size(); ++k) {
        const DiffNode &c = n.children[k];
        const bool inBefore = c.beforeIndex >= 0 && !split.at(qsizetype(k));
        for (; inBefore && next < pending.size() && pending.at(next)->beforeIndex < c.beforeIndex; ++next)
            pieces.append(Piece{pending.at(next), true, false});
        if (split.at(qsizetype(k)))
            pieces.append(Piece{&c, false, true});
        else
            pieces.append(Piece{&c, c.kind != DiffNode::Kind::Added, c.kind != DiffNode::Kind::Removed});
    }
    for (; next < pending.size(); ++next)
        pieces.append(Piece{pending.at(next), true, false});
    return pieces;
}

void Writer::body(const DiffNode &n, bool isArray, int indent)
{
    QList<Piece> pieces;
    if (isArray) {
        pieces = arrayPieces(n);
    } else {
        for (const DiffNode &c : n.children)
            pieces.append(Piece{&c, c.kind != DiffNode::Kind::Added, c.kind != DiffNode::Kind::Removed});
    }
    // Commas: a row needs one on a side when a later row is present on that side.
    std::vector<bool> laterBefore(size_t(pieces.size()), false), laterAfter(size_t(pieces.size()), false);
    bool b = false, a = false;
    for (qsizetype k = pieces.size() - 1; k >= 0; --k) {
        laterBefore[k] = b;
        laterAfter[k] = a;
        b = b || pieces.at(k).inBefore;
        a = a || pieces.at(k).inAfter;
    }
    for (qsizetype k = 0; k < pieces.size(); ++k) {
        const Piece &p = pieces.at(k);
        const QString prefix = isArray ? QString() : JsonFormat::quoted(p.node->segment.key) % QLatin1String(": ");
        if (p.inBefore && p.inAfter)
            node(*p.node, prefix, indent, laterBefore.at(k), laterAfter.at(k));
        else if (p.inBefore)
            side('-', p.node->before, prefix, indent, laterBefore.at(k));
        else
            side('+', p.node->after, prefix, indent, laterAfter.at(k));
    }
}

QList<Line> collapse(const QList<Line> &lines, int context)
{
    QList<Line> out;
    const qsizetype n = lines.size();
    qsizetype i = 0;
    while (i < n) {
        if (lines.at(i).marker != ' ') {
            out.append(lines.at(i++));
            continue;
        }
        qsizetype end = i;
        while (end < n && lines.at(end).marker == ' ')
            ++end;
        const qsizetype keepHead = i == 0 ? 0 : context;
        const qsizetype keepTail = end == n ? 0 : context;
        if (end - i <= keepHead + keepTail) {
            for (; i < end; ++i)
                out.append(lines.at(i));
            continue;
        }
        for (qsizetype k = 0; k < keepHead; ++k)
            out.append(lines.at(i + k));
        const qsizetype hidden = end - i - keepHead - keepTail;
        out.append(Line{'@', QStringLiteral("@@ %1 unchanged line%2 @@").arg(hidden).arg(hidden == 1 ? QLatin1String("") : QLatin1String("s"))});
        for (qsizetype k = end - keepTail; k < end; ++k)
            out.append(lines.at(k));
        i = end;
    }
    return out;
}

} // namespace

QStringList UnifiedDiff::side(const QList<Line> &lines, char marker)
{
    QStringList out;
    for (const Line &l : lines)
        if (l.marker == ' ' || l.marker == marker)
            out.append(l.text);
    return out;
}

QList<UnifiedDiff::Line> UnifiedDiff::lines(const DiffNode &tree, int context)
{
    Writer w;
    w.node(tree, QString(), 0, false, false);
    return context < 0 ? w.out : collapse(w.out, context);
}

QString UnifiedDiff::render(const DiffNode &tree, const UnifiedDiffOptions &options)
{
    QString out;
    if (!options.beforeLabel.isEmpty() || !options.afterLabel.isEmpty())
        out += QLatin1String("--- ") % options.beforeLabel % QLatin1String("\n+++ ") % options.afterLabel
            % QLatin1Char('\n');
    for (const Line &l : lines(tree, options.context)) {
        if (l.marker == '@')
            out += l.text;
        else
            out += QLatin1Char(l.marker) % l.text;
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace chronoscope::engine
