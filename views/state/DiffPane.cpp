#include "state/DiffPane.h"

#include "common/DiffColors.h"
#include "fold/FoldController.h"
#include "json/JsonFormat.h"
#include "json/UnifiedDiff.h"
#include "state/UnifiedDiffHighlighter.h"
#include "timeline/TimelineIndex.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope {

using namespace engine;

namespace {
enum Page { TreePage, UnifiedPage, MessagePage };
constexpr int kMaxTreeItems = 5000;

QString valueText(const QJsonValue &v, bool container)
{
    if (v.isUndefined())
        return {};
    if (container && v.isObject())
        return QStringLiteral("{…}");
    if (container && v.isArray())
        return QStringLiteral("[…]");
    return JsonFormat::compact(v, 160);
}

QString summaryText(const DiffSummary &s)
{
    QStringList parts;
    if (s.added)
        parts << DiffPane::tr("%n added", nullptr, s.added);
    if (s.removed)
        parts << DiffPane::tr("%n removed", nullptr, s.removed);
    if (s.changed)
        parts << DiffPane::tr("%n changed", nullptr, s.changed);
    if (s.moved)
        parts << DiffPane::tr("%n moved", nullptr, s.moved);
    return parts.join(QStringLiteral(", "));
}
} // namespace

DiffPane::DiffPane(FoldController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("diffPane"));
    m_modeBox = new QComboBox(this);
    m_modeBox->setObjectName(QStringLiteral("diffMode"));
    m_modeBox->addItem(tr("Event at cursor"));
    m_modeBox->addItem(tr("A vs B"));
    m_modeBox->addItem(tr("What-if vs actual"));
    m_modeBox->addItem(tr("Dry run"));
    m_modeBox->addItem(tr("Fold vs read model"));
    m_modeBox->addItem(tr("Projection vs local fold"));
    m_modeBox->setToolTip(tr("What to compare"));
    m_renderingBox = new QComboBox(this);
    m_renderingBox->setObjectName(QStringLiteral("diffRendering"));
    m_renderingBox->addItem(tr("Side by side"));
    m_renderingBox->addItem(tr("Unified"));
    // Narrow docks shorten the combos' text rather than widen the window.
    for (QComboBox *box : {m_modeBox, m_renderingBox}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
    }
    m_unchangedBox = new QCheckBox(tr("Unchanged"), this);
    m_unchangedBox->setToolTip(tr("Show unchanged values too"));
    m_byId = new QCheckBox(tr("By id:"), this);
    m_byId->setObjectName(QStringLiteral("diffById"));
    m_byId->setToolTip(tr("Arrays by id: pair array elements by this key instead of by index"));
    m_idKey = new QLineEdit(QStringLiteral("id"), this);
    m_idKey->setObjectName(QStringLiteral("diffIdKey"));
    m_idKey->setMaximumWidth(90);
    m_idKey->setMinimumWidth(m_idKey->fontMetrics().horizontalAdvance(QStringLiteral("orderId")) + 12);
    m_idKey->setEnabled(false);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_modeBox);
    bar->addWidget(m_renderingBox);
    bar->addWidget(m_unchangedBox);
    bar->addStretch(1);
    bar->addWidget(m_byId);
    bar->addWidget(m_idKey);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("diffTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("diffTree"));
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Path"), tr("Before"), tr("After")});
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 200);
    m_tree->setColumnWidth(1, 220);

    m_unified = new QPlainTextEdit(this);
    m_unified->setObjectName(QStringLiteral("diffUnified"));
    m_unified->setReadOnly(true);
    m_unified->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_unified->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = new UnifiedDiffHighlighter(m_unified->document());

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("diffMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    QFont big = m_message->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_message->setFont(big);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_unified);
    m_stack->addWidget(m_message);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_title);
    layout->addWidget(m_stack, 1);

    connect(m_modeBox, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) { setMode(Mode(i)); });
    connect(m_renderingBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setRendering(Rendering(i)); });
    connect(m_unchangedBox, &QCheckBox::toggled, this, &DiffPane::setShowUnchanged);
    connect(m_byId, &QCheckBox::toggled, this, [this](bool on) {
        m_idKey->setEnabled(on);
        applyDiffOptions();
    });
    connect(m_idKey, &QLineEdit::editingFinished, this, &DiffPane::applyDiffOptions);

    connect(controller, &FoldController::cursorStateReady, this, [this] {
        if (m_mode == Mode::Event)
            refresh();
    });
    connect(controller, &FoldController::markerStatesReady, this, [this] {
        if (m_mode == Mode::Markers)
            refresh();
    });
    connect(controller, &FoldController::whatIfReady, this, [this](const WhatIfOutcome &o) {
        m_haveWhatIf = true;
        const QStringList excluded = [&] {
            QStringList out;
            for (quint64 e : o.excluded)
                out << QLatin1Char('#') + QString::number(e);
            return out;
        }();
        QStringList parts;
        if (!excluded.isEmpty())
            parts << tr("without %1").arg(excluded.join(QStringLiteral(", ")));
        for (const WhatIfInsertion &i : o.inserted)
            parts << tr("with %1 after #%2").arg(QString::fromUtf8(i.type)).arg(i.after);
        const QString what = parts.join(QStringLiteral(", "));
        setMode(Mode::WhatIf);
        showDiff(o.diff, tr("What-if (%1) vs actual, after %2 events").arg(what).arg(o.upTo), tr("actual"),
                 tr("what-if (%1)").arg(what), o.error.isEmpty() ? QString() : tr("What-if failed: %1").arg(o.error));
    });
    connect(controller, &FoldController::reducerChanged, this, [this] {
        if (!m_controller->arrayIdKey().isEmpty() && !m_byId->isChecked())
            m_idKey->setText(m_controller->arrayIdKey());
    });
    showDiff({}, {}, {}, {});
    refresh();
}

void DiffPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        render();
    QWidget::changeEvent(event);
}

void DiffPane::applyDiffOptions()
{
    const QString key = m_idKey->text().trimmed();
    m_controller->setDiffOptions(m_byId->isChecked() && !key.isEmpty() ? DiffOptions::byId({key}) : DiffOptions::byIndex());
}

void DiffPane::setMode(Mode mode)
{
    if (m_modeBox->currentIndex() != int(mode))
        m_modeBox->setCurrentIndex(int(mode)); // comes back here through the signal
    if (m_mode == mode)
        return;
    m_mode = mode;
    refresh();
}

void DiffPane::setRendering(Rendering rendering)
{
    if (m_renderingBox->currentIndex() != int(rendering))
        m_renderingBox->setCurrentIndex(int(rendering));
    if (m_rendering == rendering)
        return;
    m_rendering = rendering;
    render();
}

void DiffPane::setShowUnchanged(bool show)
{
    if (m_unchangedBox->isChecked() != show)
        m_unchangedBox->setChecked(show);
    m_showUnchanged = show;
    render();
}

void DiffPane::refresh()
{
    TimelineSession *session = m_controller->session();
    auto describe = [session](qint64 ordinal) {
        if (!session || ordinal < 0 || quint64(ordinal) >= session->index().size())
            return QStringLiteral("#%1").arg(ordinal);
        return QStringLiteral("#%1 %2 (revision %3)")
            .arg(ordinal)
            .arg(QString::fromUtf8(session->index().typeName(quint64(ordinal))))
            .arg(session->index().revision(quint64(ordinal)));
    };
    switch (m_mode) {
    case Mode::Event: {
        const CursorState &s = m_controller->cursorState();
        if (s.ordinal < 0) {
            showDiff({}, tr("Event at the cursor"), {}, {},
                     tr("The cursor stands before the first event: there is no event to show the changes of."));
        } else {
            showDiff(s.diff, tr("Changes made by %1").arg(describe(s.ordinal)), tr("before #%1").arg(s.ordinal),
                     tr("after #%1").arg(s.ordinal), s.ok() ? QString() : tr("No state: %1").arg(s.error));
        }
        break;
    }
    case Mode::Markers: {
        const MarkerStates &m = m_controller->markerStates();
        if (m.a < 0 || m.b < 0)
            showDiff({}, tr("A vs B"), {}, {}, tr("Set markers A and B on the timeline to compare the states there."));
        else
            showDiff(m.diff, tr("A = %1  →  B = %2").arg(describe(m.a), describe(m.b)), tr("A (#%1)").arg(m.a),
                     tr("B (#%1)").arg(m.b), m.error.isEmpty() ? QString() : tr("No state: %1").arg(m.error));
        break;
    }
    case Mode::Correction:
        if (!m_haveCorrection)
            showDiff({}, tr("Correction dry run"), {}, {},
                     tr("Compose a correction (Corrections ▸ New Correction…) and run its dry run to see the state "
                        "after it vs the head."));
        else
            showDiff(m_correction, m_correctionTitle, tr("head"), tr("with the correction"), m_correctionMessage);
        break;
    case Mode::Projection:
        if (!m_haveProjection)
            showDiff({}, tr("Projection vs local fold"), {}, {},
                     tr("Compare a projection with a local fold of its source (Projections ▸ Compare) and choose a "
                        "partition to see the server's state against the local one."));
        else
            showDiff(m_projection, m_projectionTitle, m_projectionBefore, m_projectionAfter, m_projectionMessage);
        break;
    case Mode::WhatIf:
        if (!m_haveWhatIf)
            showDiff({}, tr("What-if vs actual"), {}, {},
                     tr("Run a what-if from the State pane (leave out the event at the cursor, or chosen events) "
                        "to compare the result with reality."));
        break;
    case Mode::ReadModel:
        if (!m_haveReadModel)
            showDiff({}, tr("Fold vs read model"), {}, {},
                     tr("Open a stream whose category has a read-model mapping (Read Model pane) to compare its "
                        "fold with the read model's row."));
        else
            showDiff(m_readModel, m_readModelTitle, m_readModelBefore, m_readModelAfter, m_readModelMessage);
        break;
    }
}

void DiffPane::showReadModel(const DiffResult &diff, const QString &title, const QString &beforeLabel,
                             const QString &afterLabel, const QString &message)
{
    m_haveReadModel = true;
    m_readModel = diff;
    m_readModelTitle = title;
    m_readModelBefore = beforeLabel;
    m_readModelAfter = afterLabel;
    m_readModelMessage = message;
    if (m_mode == Mode::ReadModel)
        refresh();
    else
        setMode(Mode::ReadModel);
}

void DiffPane::showCorrection(const DiffResult &diff, const QString &title, const QString &message)
{
    m_haveCorrection = true;
    m_correction = diff;
    m_correctionTitle = title;
    m_correctionMessage = message;
    if (m_mode == Mode::Correction)
        refresh();
    else
        setMode(Mode::Correction);
}

void DiffPane::showProjection(const DiffResult &diff, const QString &title, const QString &beforeLabel,
                              const QString &afterLabel, const QString &message)
{
    m_haveProjection = true;
    m_projection = diff;
    m_projectionTitle = title;
    m_projectionBefore = beforeLabel;
    m_projectionAfter = afterLabel;
    m_projectionMessage = message;
    if (m_mode == Mode::Projection)
        refresh();
    else
        setMode(Mode::Projection);
}

void DiffPane::showDiff(const DiffResult &diff, const QString &title, const QString &beforeLabel,
                        const QString &afterLabel, const QString &message)
{
    m_diff = diff;
    m_beforeLabel = beforeLabel;
    m_afterLabel = afterLabel;
    const QString summary = summaryText(diff.summary);
    m_title->setText(summary.isEmpty() ? title : title + QStringLiteral(" — ") + summary);
    m_note = message;
    render();
}

QString DiffPane::messageText() const
{
    return m_stack->currentIndex() == MessagePage ? m_message->text() : QString();
}

void DiffPane::render()
{
    const DiffColors colors = DiffColors::forPalette(palette());
    if (!m_note.isEmpty() || m_diff.isEmpty()) {
        m_message->setText(!m_note.isEmpty() ? m_note : tr("No changes: the two states are equal."));
        // Nothing of the previous diff stays behind the message (it would be read out of the hidden views).
        m_tree->clear();
        m_unified->clear();
        m_stack->setCurrentIndex(MessagePage);
        return;
    }
    if (m_rendering == Rendering::SideBySide) {
        fillTree();
        m_stack->setCurrentIndex(TreePage);
    } else {
        UnifiedDiffOptions o;
        o.context = m_showUnchanged ? -1 : 3;
        o.beforeLabel = m_beforeLabel;
        o.afterLabel = m_afterLabel;
        m_unified->setPlainText(UnifiedDiff::render(m_diff.tree, o));
        m_highlighter->setColors(colors, palette().color(QPalette::PlaceholderText));
        m_stack->setCurrentIndex(UnifiedPage);
    }
}

void DiffPane::fillTree()
{
    m_tree->clear();
    m_tree->setHeaderLabels({tr("Path"), m_beforeLabel.isEmpty() ? tr("Before") : m_beforeLabel,
                             m_afterLabel.isEmpty() ? tr("After") : m_afterLabel});
    int budget = kMaxTreeItems;
    for (const DiffNode &child : m_diff.tree.children)
        addNode(nullptr, child, QString(), 0, &budget);
    if (m_diff.tree.children.empty()) // a change of the root itself (e.g. before the first event)
        addNode(nullptr, m_diff.tree, QString(), 0, &budget);
    if (budget <= 0) {
        auto *more = new QTreeWidgetItem(m_tree, {tr("… more rows not shown (use the unified view)")});
        more->setFirstColumnSpanned(true);
    }
}

void DiffPane::addNode(QTreeWidgetItem *parent, const DiffNode &node, const QString &path, int depth, int *budget)
{
    if (*budget <= 0)
        return;
    if (node.kind == DiffNode::Kind::Unchanged && !node.moved && !m_showUnchanged)
        return;
    --*budget;
    QString key;
    if (node.segment.isIndex())
        key = QLatin1Char('[') + QString::number(node.segment.index) + QLatin1Char(']');
    else
        key = node.segment.key.isEmpty() && path.isEmpty() && depth == 0 && node.children.empty() ? tr("(root)")
                                                                                                : node.segment.key;
    const bool container = node.kind == DiffNode::Kind::ChildrenChanged
        || ((node.kind == DiffNode::Kind::Unchanged) && !node.children.empty());
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
    item->setText(0, key);
    item->setText(1, valueText(node.before, container));
    item->setText(2, valueText(node.after, container));
    item->setToolTip(1, JsonFormat::compact(node.before, 2000));
    item->setToolTip(2, JsonFormat::compact(node.after, 2000));
    const DiffColors colors = DiffColors::forPalette(palette());
    QColor bg;
    switch (node.kind) {
    case DiffNode::Kind::Added: bg = colors.added; break;
    case DiffNode::Kind::Removed: bg = colors.removed; break;
    case DiffNode::Kind::Changed: bg = colors.changed; break;
    default: if (node.moved) bg = colors.moved; break;
    }
    if (bg.isValid())
        for (int c = 0; c < 3; ++c)
            item->setBackground(c, bg);
    if (node.kind != DiffNode::Kind::Unchanged) {
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
    }
    // Added/removed/changed containers show their value whole; only "something below changed" opens.
    if (node.kind == DiffNode::Kind::ChildrenChanged || (m_showUnchanged && node.kind == DiffNode::Kind::Unchanged)) {
        for (const DiffNode &child : node.children)
            addNode(item, child, path + QLatin1Char('/') + key, depth + 1, budget);
        item->setExpanded(node.kind == DiffNode::Kind::ChildrenChanged);
    }
}

} // namespace chronoscope
