// TimelineView, second half: the cursor, markers, keys, mouse and tooltips.
#include "timeline/TimelineView.h"

#include "common/QCustomPlotInclude.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineIndex.h"
#include "timeline/TimelinePlotItems.h"
#include "timeline/TimelineThroughputItems.h"

#include <QDateTime>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace chronoscope::views {

namespace {

constexpr double kTicksPerSecond = 1e7;
constexpr int kGrabPixels = 6; // how close to the cursor line a press grabs it

QString timeText(qint64 ticks, bool utc, const QString &format = QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"))
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ticks / kTicksPerMillisecond, Qt::UTC);
    return (utc ? t : t.toLocalTime()).toString(format) + (utc ? QStringLiteral(" UTC") : QString());
}

} // namespace

void TimelineView::onCursorMoved()
{
    if (!m_session)
        return;
    syncCursorItems();
    if (m_session->isLoading() && m_session->cursor()->atEnd()) {
        // Following the end of a growing timeline: every batch moves it; repaint at onGrown's pace.
        if (!m_replot->isActive())
            m_replot->start();
        return;
    }
    if (!m_draggingCursor)
        keepCursorVisible();
    updateHeader();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineView::syncCursorItems()
{
    if (!m_session)
        return;
    const engine::TimelineIndex &index = m_session->index();
    const TimeCursor *cursor = m_session->cursor();
    auto xOf = [&index](qint64 ordinal) -> std::optional<double> {
        if (ordinal < 0 || quint64(ordinal) >= index.size())
            return std::nullopt;
        return double(index.createdTicks(quint64(ordinal))) / kTicksPerSecond;
    };
    m_items->setCursor(xOf(cursor->position()));
    m_items->setMarkers(xOf(cursor->markerA()), xOf(cursor->markerB()));
}

void TimelineView::keepCursorVisible()
{
    const auto x = m_items->cursorX();
    if (!x || m_fitAll)
        return;
    const QCPRange range = m_plot->xAxis->range();
    if (*x >= range.lower && *x <= range.upper)
        return;
    // Page so the cursor sits a little inside the edge it crossed (scrolling, not recentring).
    const double margin = range.size() * 0.1;
    const double lower = *x < range.lower ? *x - margin : *x + margin - range.size();
    m_programmaticRange = true;
    m_plot->xAxis->setRange(lower, lower + range.size());
    m_programmaticRange = false;
    updateTicker();
    requestBins(0);
}

QString TimelineView::cursorText() const
{
    if (!m_session || m_session->index().isEmpty())
        return m_session && m_session->isLoading() ? tr("Loading…") : tr("No timeline");
    const engine::TimelineIndex &index = m_session->index();
    const TimeCursor *cursor = m_session->cursor();
    const QLocale locale;
    QString text;
    const qint64 p = cursor->position();
    if (p < 0) {
        text = tr("Before the first event · %1 events").arg(locale.toString(index.size()));
    } else {
        // In `$all` a revision is its stream's: say which, as EventStoreDB writes it (rev@stream).
        QString revision = QString::number(index.revision(quint64(p)));
        if (m_session->isAll())
            revision += QLatin1Char('@') + QString::fromUtf8(index.streamName(quint64(p)));
        text = tr("Event %1 of %2 · rev %3 · %4 · %5")
                   .arg(locale.toString(p + 1), locale.toString(index.size()), revision,
                        QString::fromUtf8(index.typeName(quint64(p))), timeText(index.createdTicks(quint64(p)), m_utc));
    }
    auto marker = [&](const QString &name, qint64 ordinal) {
        if (ordinal >= 0 && quint64(ordinal) < index.size())
            text += QStringLiteral(" · %1 = %2").arg(name, locale.toString(ordinal + 1));
    };
    marker(QStringLiteral("A"), cursor->markerA());
    marker(QStringLiteral("B"), cursor->markerB());
    if (cursor->hasMarkers()) {
        const qint64 a = cursor->markerA(), b = cursor->markerB();
        const qint64 dt = std::llabs(index.createdTicks(quint64(b)) - index.createdTicks(quint64(a)));
        const qint64 n = std::llabs(b - a);
        const QString span = durationText(dt - dt % kTicksPerMillisecond);
        text += n == 1 ? tr(" (1 event, %1)").arg(span) : tr(" (%1 events, %2)").arg(locale.toString(n), span);
    }
    return text;
}

QString TimelineView::placeholderText() const
{
    return m_items->placeholder();
}

void TimelineView::updateHeader()
{
    m_header->setText(cursorText());
    QString placeholder;
    if (!m_session || m_session->stream().isEmpty())
        placeholder = tr("Select a stream to see its events over time");
    else if (m_session->index().isEmpty())
        placeholder = m_session->isLoading() ? tr("Loading %1…").arg(QString::fromUtf8(m_session->stream()))
                                             : tr("%1 has no events").arg(QString::fromUtf8(m_session->stream()));
    m_items->setPlaceholder(placeholder);
}

QString TimelineView::binToolTip(qint64 ticks) const
{
    const bool throughput = m_mode == Mode::Throughput;
    const engine::TimelineBins &bins = throughput ? static_cast<const engine::TimelineBins &>(m_throughput) : m_histogram;
    const int bin = bins.binAt(ticks);
    if (bin < 0 || !m_session)
        return {};
    const qint64 start = bins.binStart(bin), end = start + bins.binTicks;
    const QString format = bins.binTicks < 10000000 ? QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz")
                                                    : QStringLiteral("yyyy-MM-dd hh:mm:ss");
    QString tip = QStringLiteral("%1 – %2\n").arg(timeText(start, m_utc, format), timeText(end, m_utc, format));
    if (throughput)
        return tip + TimelineThroughputItems::toolTipText(m_throughput, bin, [this](quint32 id) { return groupName(id); });
    const QLocale locale;
    tip += TimelineThroughputItems::eventCountText(m_histogram.binTotal(bin));
    // Biggest types first.
    std::vector<std::pair<quint32, quint32>> counts;
    for (quint32 t = 0; t < m_histogram.groups; ++t) {
        if (const quint32 n = m_histogram.count(bin, t))
            counts.emplace_back(n, t);
    }
    std::sort(counts.begin(), counts.end(), std::greater<>());
    const engine::StringInterner &types = m_session->index().types();
    for (const auto &[n, t] : counts)
        tip += QStringLiteral("\n  %1: %2").arg(QString::fromUtf8(types.name(t)), locale.toString(n));
    return tip;
}

void TimelineView::pageStep(int direction)
{
    if (!m_session || m_session->index().isEmpty())
        return;
    const engine::TimelineIndex &index = m_session->index();
    TimeCursor *cursor = m_session->cursor();
    const qint64 p = std::max<qint64>(0, cursor->position());
    const qint64 jump = std::max<qint64>(1, toTicksSpan() / 10);
    const qint64 target = index.createdTicks(quint64(p)) + direction * jump;
    const auto at = index.lastAtOrBefore(target);
    qint64 next = at ? qint64(*at) : -1;
    next = direction > 0 ? std::max(next, p + 1) : std::min(next, p - 1);
    cursor->setPosition(std::max<qint64>(next, 0));
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    TimeCursor *cursor = m_session ? m_session->cursor() : nullptr;
    if (!cursor || event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) {
        QWidget::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Left: cursor->step(-1); break;
    case Qt::Key_Right: cursor->step(1); break;
    case Qt::Key_PageUp: pageStep(-1); break;
    case Qt::Key_PageDown: pageStep(1); break;
    case Qt::Key_Home: cursor->toStart(); break;
    case Qt::Key_End: cursor->toEnd(); break;
    case Qt::Key_A: cursor->setMarkerA(cursor->position()); break;
    case Qt::Key_B: cursor->setMarkerB(cursor->position()); break;
    case Qt::Key_X: cursor->clearMarkers(); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoom(0.5); break;
    case Qt::Key_Minus: zoom(2.0); break;
    case Qt::Key_F: fitAll(); break;
    case Qt::Key_T: setMode(m_mode == Mode::Density ? Mode::Throughput : Mode::Density); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

void TimelineView::onPress(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_pressed = true;
    m_pressPos = event->pos();
    const auto x = m_items->cursorX();
    m_draggingCursor = x && std::abs(m_plot->xAxis->coordToPixel(*x) - event->pos().x()) <= kGrabPixels;
    // Grabbing the cursor scrubs instead of panning.
    m_plot->setInteraction(QCP::iRangeDrag, !m_draggingCursor);
    if (m_draggingCursor)
        m_plot->setCursor(Qt::SizeHorCursor);
}

void TimelineView::onMove(QMouseEvent *event)
{
    if (m_draggingCursor) {
        moveCursorToTime(ticksForX(event->pos().x()));
        return;
    }
    if (m_pressed)
        return;
    const auto x = m_items->cursorX();
    const bool nearCursor = x && std::abs(m_plot->xAxis->coordToPixel(*x) - event->pos().x()) <= kGrabPixels;
    m_plot->setCursor(nearCursor ? Qt::SizeHorCursor : Qt::ArrowCursor);
    if (m_plot->axisRect()->rect().contains(event->pos())) {
        const QString tip = binToolTip(ticksForX(event->pos().x()));
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), tip, m_plot);
    }
}

void TimelineView::onRelease(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const bool click = (event->pos() - m_pressPos).manhattanLength() < 4;
    if (m_draggingCursor || (click && m_plot->axisRect()->rect().contains(event->pos())))
        moveCursorToTime(ticksForX(event->pos().x()));
    m_draggingCursor = false;
    m_pressed = false;
    m_plot->setInteraction(QCP::iRangeDrag, true);
    m_plot->setCursor(Qt::ArrowCursor);
    keepCursorVisible();
}

void TimelineView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        restyle();
    QWidget::changeEvent(event);
}

void TimelineView::restyle()
{
    m_items->restyle(palette());
    m_lines->restyle(palette());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace chronoscope::views
