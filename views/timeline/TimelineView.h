#pragma once

#include "session/TimelineBinCounter.h"
#include "session/TimelineSession.h"
#include "timeline/TimelineHistogram.h"
#include "timeline/TimelineThroughput.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QTimer;
class QToolButton;

namespace chronoscope::views {

class TimelinePlotItems;
class TimelineThroughputItems;

/// "1 h", "15 min", "200 ms": a duration in ticks, in its largest whole unit.
QString durationText(qint64 ticks);

/// The timeline (F5): event density over time as bars stacked by event type — or, in throughput
/// mode, events per second as lines (the total, and for a timeline spanning several stream
/// categories such as `$all` one line per top category plus "other") — with the session's time
/// cursor as a vertical line, and markers A/B with the range between them shaded.
///
/// Mouse: click moves the cursor, dragging the cursor line scrubs (the cursor lands on the last
/// event at or before the time under the mouse), dragging elsewhere pans, the wheel zooms around
/// the mouse. Keys (when focused): Left/Right step one event, PageUp/PageDown jump a tenth of the
/// visible time, Home/End, A/B set the markers at the cursor, X clears them, +/- zoom, F fits all,
/// T switches between density and throughput (also Ctrl+Shift+D window-wide: throughputAction()).
///
/// Bins follow the visible range (a round width, recomputed on zoom and as the timeline grows);
/// they are counted in a worker from the session's shared index, never on the GUI thread. The view
/// keeps the cursor in view, and fits the whole timeline until the user zooms or pans.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    /// What the chart shows.
    enum class Mode {
        Density,    ///< events per bin, stacked by type
        Throughput, ///< events per second, by stream category
    };
    Q_ENUM(Mode)

    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    void setSession(TimelineSession *session);
    TimelineSession *session() const { return m_session; }

    /// Times on the axis in UTC (the default) or local time.
    bool isUtc() const { return m_utc; }
    void setUtc(bool utc);

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    /// Checked in throughput mode; Ctrl+Shift+D wherever the window has focus.
    QAction *throughputAction() const { return m_throughputAction; }

    /// The visible time range in ticks (100 ns since the Unix epoch).
    qint64 visibleFrom() const;
    qint64 visibleTo() const;
    /// Shows [from, to) and stops fitting the whole timeline.
    void setVisibleRange(qint64 from, qint64 to);
    /// Shows the whole timeline and keeps doing so as it grows.
    void fitAll();
    bool fitsAll() const { return m_fitAll; }
    void zoom(double factor);

    /// The bins on screen in density mode (the last completed count).
    const engine::TimelineHistogram &histogram() const { return m_histogram; }
    /// The lines on screen in throughput mode (the last completed count).
    const engine::TimelineThroughput &throughput() const { return m_throughput; }
    /// A recount is pending or running.
    bool isBinning() const;
    /// Tooltip text of the bin at `ticks` (empty outside the bins).
    QString binToolTip(qint64 ticks) const;
    QString cursorText() const;
    /// The note an empty plot shows instead of times (empty once there are events).
    QString placeholderText() const;

    /// The plot (for tests: pixel positions of times).
    QCustomPlot *plot() const { return m_plot; }
    int xForTicks(qint64 ticks) const;
    qint64 ticksForX(double x) const;

    /// Moves the cursor to the last event at or before `ticks` (before the first event: -1).
    void moveCursorToTime(qint64 ticks);
    /// Moves the cursor a tenth of the visible time back (-1) or forward (1), at least one event.
    void pageStep(int direction);

Q_SIGNALS:
    /// A recount of the bins landed (histogram() or, in throughput mode, throughput() is new).
    void histogramUpdated();
    void modeChanged(chronoscope::views::TimelineView::Mode mode);
    void utcChanged(bool utc);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onReset();
    void onGrown();
    void onCursorMoved();
    /// Places the cursor and marker lines (no repaint).
    void syncCursorItems();
    void onRangeChanged();
    void requestBins(int delayMs);
    std::optional<TimelineBinCounter::Request> binRequest() const;
    void applyHistogram(const engine::TimelineHistogram &histogram);
    void applyThroughput(const engine::TimelineThroughput &throughput);
    /// The y axis' ticker and label for the mode.
    void setUpYAxis();
    QString groupName(quint32 id) const;
    void updateTicker();
    void updateHeader();
    void keepCursorVisible();
    void applyFit();
    void restyle();
    void onPress(QMouseEvent *event);
    void onMove(QMouseEvent *event);
    void onRelease(QMouseEvent *event);
    void setRangeQuietly(double from, double to);
    qint64 toTicksSpan() const { return visibleTo() - visibleFrom(); }

    QPointer<TimelineSession> m_session;
    QCustomPlot *m_plot;
    TimelinePlotItems *m_items;
    TimelineThroughputItems *m_lines;
    QLabel *m_header;
    QComboBox *m_modeBox;
    QAction *m_throughputAction;
    QToolButton *m_utcButton;
    QToolButton *m_fitButton;
    QTimer *m_replot; ///< paces repaints while the timeline grows
    engine::TimelineHistogram m_histogram;
    engine::TimelineThroughput m_throughput;
    Mode m_mode = Mode::Density;
    TimelineBinCounter *m_counter;
    bool m_fitAll = true;
    bool m_utc = true;
    bool m_programmaticRange = false;
    bool m_draggingCursor = false;
    QPoint m_pressPos;
    bool m_pressed = false;
};

} // namespace chronoscope::views
