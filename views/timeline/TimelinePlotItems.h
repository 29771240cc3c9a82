#pragma once

#include "timeline/TimelineHistogram.h"

#include <QColor>
#include <QHash>
#include <QString>

#include <functional>
#include <optional>

class QCPBars;
class QCPItemRect;
class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QPalette;

namespace chronoscope::views {

/// What the timeline draws on its QCustomPlot: one bar series per event type (stacked, in type-id
/// order so colours stay put while the timeline grows), the cursor line, the A/B marker lines with
/// labels and the shaded range between them, and colours that follow the widget palette.
/// x is seconds since the Unix epoch (what QCPAxisTickerDateTime reads).
class TimelinePlotItems
{
public:
    explicit TimelinePlotItems(QCustomPlot *plot);

    /// Rebuilds the bars from `histogram`; `typeName` names a type id.
    void setHistogram(const engine::TimelineHistogram &histogram, const std::function<QString(quint32)> &typeName);
    void clearBars();
    /// The tallest stack of the last histogram.
    double maxStack() const { return m_maxStack; }

    void setCursor(std::optional<double> x);
    void setMarkers(std::optional<double> a, std::optional<double> b);
    std::optional<double> cursorX() const { return m_cursorX; }

    /// A note in the middle of an empty plot (none: empty text); the axes' tick labels hide while
    /// it shows, since an empty timeline has no times to label.
    void setPlaceholder(const QString &text);
    QString placeholder() const;

    void restyle(const QPalette &palette);
    /// The fill colour of a type (a fixed qualitative palette, then generated hues).
    static QColor typeColor(quint32 typeId);

private:
    void placeLegend();
    void styleMarker(QCPItemStraightLine *line, QCPItemText *label, const QColor &colour);

    QCustomPlot *m_plot;
    QHash<quint32, QCPBars *> m_bars;
    QCPItemStraightLine *m_cursor;
    QCPItemStraightLine *m_markerA;
    QCPItemStraightLine *m_markerB;
    QCPItemText *m_labelA;
    QCPItemText *m_labelB;
    QCPItemRect *m_range;
    QCPItemText *m_placeholder;
    std::optional<double> m_cursorX;
    double m_maxStack = 0;
};

} // namespace chronoscope::views
