#include "timeline/TimelinePlotItems.h"

#include "common/QCustomPlotInclude.h"

#include <QPalette>

#include <algorithm>

namespace chronoscope::views {

namespace {

constexpr double kTicksPerSecond = 1e7;

void placeVertical(QCPItemStraightLine *line, double x)
{
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
}

} // namespace

TimelinePlotItems::TimelinePlotItems(QCustomPlot *plot)
    : m_plot(plot)
    , m_cursor(new QCPItemStraightLine(plot))
    , m_markerA(new QCPItemStraightLine(plot))
    , m_markerB(new QCPItemStraightLine(plot))
    , m_labelA(new QCPItemText(plot))
    , m_labelB(new QCPItemText(plot))
    , m_range(new QCPItemRect(plot))
    , m_placeholder(new QCPItemText(plot))
{
    m_placeholder->setVisible(false);
    m_placeholder->setSelectable(false);
    m_placeholder->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_placeholder->position->setCoords(0.5, 0.5);
    m_placeholder->setPositionAlignment(Qt::AlignCenter);
    for (QCPItemStraightLine *line : {m_cursor, m_markerA, m_markerB}) {
        line->setVisible(false);
        line->setSelectable(false);
        line->setClipToAxisRect(true);
    }
    m_labelA->setText(QStringLiteral("A"));
    m_labelB->setText(QStringLiteral("B"));
    for (QCPItemText *label : {m_labelA, m_labelB}) {
        label->setVisible(false);
        label->setSelectable(false);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
        label->setPadding(QMargins(4, 1, 4, 1));
    }
    m_range->setVisible(false);
    m_range->setSelectable(false);
    m_range->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_range->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_range->setPen(Qt::NoPen);
    // The shaded range goes under the bars, the lines over them.
    m_plot->addLayer(QStringLiteral("under"), m_plot->layer(QStringLiteral("grid")), QCustomPlot::limAbove);
    m_range->setLayer(QStringLiteral("under"));
    placeLegend();
}

void TimelinePlotItems::placeLegend()
{
    // The legend in its own row under the plot, filled left to right.
    QCPLegend *legend = m_plot->legend;
    legend->setVisible(true);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(8);
    legend->setIconSize(12, 10);
    QFont font = m_plot->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    legend->setFont(font);
    legend->setMargins(QMargins(6, 2, 6, 2));
    // An empty legend's maximum width is its margins, and a grid column is no wider than its
    // narrowest maximum: alone in the plot's column it squeezed the axis rect to a sliver while
    // there was nothing to list (no stream yet, a mode switch). A spacer beside it in a row of its
    // own keeps that row's maximum open; the legend takes the width as soon as it has items.
    auto *row = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, row);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->plotLayout()->setRowSpacing(2);
    row->addElement(0, 0, legend);
    auto *spacer = new QCPLayoutElement(m_plot);
    spacer->setMargins(QMargins());
    row->addElement(0, 1, spacer);
    row->setColumnStretchFactor(1, 0.001);
}

QColor TimelinePlotItems::typeColor(quint32 typeId)
{
    // Tableau-like qualitative colours: distinct, readable on light and dark backgrounds.
    static const QRgb fixed[] = {0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0x76b7b2, 0xedc948,
                                 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac, 0x86bcb6, 0xd37295};
    constexpr quint32 n = sizeof(fixed) / sizeof(fixed[0]);
    if (typeId < n)
        return QColor::fromRgb(fixed[typeId]);
    return QColor::fromHsv(int((typeId * 137) % 360), 150, 210); // golden-angle hues
}

void TimelinePlotItems::clearBars()
{
    for (QCPBars *bars : std::as_const(m_bars))
        m_plot->removePlottable(bars);
    m_bars.clear();
    m_maxStack = 0;
}

void TimelinePlotItems::setHistogram(const engine::TimelineHistogram &h,
                                     const std::function<QString(quint32)> &typeName)
{
    const double width = double(h.binTicks) / kTicksPerSecond;
    std::vector<double> stack(size_t(std::max(0, h.bins)), 0.0);
    QCPBars *below = nullptr;
    for (quint32 type = 0; type < h.groups; ++type) {
        QVector<double> keys, values;
        keys.reserve(h.bins);
        values.reserve(h.bins);
        for (int bin = 0; bin < h.bins; ++bin) {
            keys << (double(h.binStart(bin)) + h.binTicks / 2.0) / kTicksPerSecond;
            values << double(h.count(bin, type));
            stack[size_t(bin)] += values.back();
        }
        QCPBars *bars = m_bars.value(type);
        if (!bars) {
            bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
            bars->setName(typeName(type));
            const QColor colour = typeColor(type);
            bars->setBrush(colour);
            bars->setPen(QPen(colour.darker(115), 0));
            bars->setWidthType(QCPBars::wtPlotCoords);
            bars->setSelectable(QCP::stNone);
            m_bars.insert(type, bars);
        }
        bars->setWidth(width);
        bars->setData(keys, values, true);
        bars->moveAbove(nullptr);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    // Types no longer in range keep their series (and legend entry) but draw nothing.
    for (auto it = m_bars.cbegin(); it != m_bars.cend(); ++it) {
        if (it.key() >= h.groups)
            it.value()->data()->clear();
    }
    m_maxStack = stack.empty() ? 0 : *std::max_element(stack.begin(), stack.end());
}

void TimelinePlotItems::setCursor(std::optional<double> x)
{
    m_cursorX = x;
    m_cursor->setVisible(x.has_value());
    if (x)
        placeVertical(m_cursor, *x);
}

void TimelinePlotItems::setMarkers(std::optional<double> a, std::optional<double> b)
{
    m_markerA->setVisible(a.has_value());
    m_labelA->setVisible(a.has_value());
    m_markerB->setVisible(b.has_value());
    m_labelB->setVisible(b.has_value());
    if (a) {
        placeVertical(m_markerA, *a);
        m_labelA->position->setCoords(*a, 0.0);
    }
    if (b) {
        placeVertical(m_markerB, *b);
        m_labelB->position->setCoords(*b, 0.0);
    }
    m_range->setVisible(a && b);
    if (a && b) {
        m_range->topLeft->setCoords(std::min(*a, *b), 0.0);
        m_range->bottomRight->setCoords(std::max(*a, *b), 1.0);
    }
}

void TimelinePlotItems::styleMarker(QCPItemStraightLine *line, QCPItemText *label, const QColor &colour)
{
    line->setPen(QPen(colour, 1.5, Qt::DashLine));
    label->setColor(Qt::white);
    label->setBrush(colour);
    label->setPen(Qt::NoPen);
}

void TimelinePlotItems::setPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_placeholder->setVisible(!text.isEmpty());
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis})
        axis->setTickLabels(text.isEmpty());
}

QString TimelinePlotItems::placeholder() const
{
    return m_placeholder->visible() ? m_placeholder->text() : QString();
}

void TimelinePlotItems::restyle(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlpha(40);
    m_plot->setBackground(palette.color(QPalette::Window));
    m_plot->axisRect()->setBackground(base);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis, m_plot->xAxis2, m_plot->yAxis2}) {
        axis->setBasePen(QPen(text, 1));
        axis->setTickPen(QPen(text, 1));
        axis->setSubTickPen(QPen(text, 1));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    m_plot->legend->setBrush(base);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setTextColor(text);
    QColor quiet = text;
    quiet.setAlpha(150);
    m_placeholder->setColor(quiet);
    QColor highlight = palette.color(QPalette::Highlight);
    m_cursor->setPen(QPen(highlight, 2));
    const bool dark = base.lightness() < 128;
    const QColor a = dark ? QColor(0xff, 0xb3, 0x47) : QColor(0xc0, 0x5a, 0x00);
    const QColor b = dark ? QColor(0xc3, 0x8e, 0xff) : QColor(0x6a, 0x3d, 0xc8);
    styleMarker(m_markerA, m_labelA, a);
    styleMarker(m_markerB, m_labelB, b);
    highlight.setAlpha(dark ? 45 : 30);
    m_range->setBrush(highlight);
}

} // namespace chronoscope::views
