#include "readmodel/ReadModelLagChart.h"

#include "common/QCustomPlotInclude.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {
const QColor kColours[] = {QColor(0x3b, 0x82, 0xf6), QColor(0xe1, 0x6b, 0x2d), QColor(0x2e, 0xa0, 0x5a),
                           QColor(0x9b, 0x59, 0xb6)};
} // namespace

ReadModelLagChart::ReadModelLagChart(QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("readModelLagChart"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_status);
    m_status->setObjectName(QStringLiteral("readModelLagStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_plot->setMinimumHeight(140);
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(Qt::UTC);
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setLabel(tr("time (UTC)"));
    m_plot->yAxis->setLabel(tr("events behind"));
    m_plot->yAxis->setNumberFormat(QStringLiteral("gb"));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("seconds behind"));
    m_plot->yAxis2->setNumberFormat(QStringLiteral("gb"));
    // The legend in a row of its own under the plot: never over the lines.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    restyle();
    updateStatus();
}

ReadModelLagChart::Series &ReadModelLagChart::seriesFor(const QString &readModel)
{
    auto it = m_series.find(readModel);
    if (it != m_series.end())
        return *it;
    const QColor colour = kColours[m_order.size() % 4];
    m_order.append(readModel);
    Series s;
    s.events = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
    s.events->setName(tr("%1: events").arg(readModel));
    s.events->setPen(QPen(colour, 2));
    s.events->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    s.seconds = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    s.seconds->setName(tr("%1: seconds").arg(readModel));
    s.seconds->setPen(QPen(colour, 1.5, Qt::DashLine));
    return *m_series.insert(readModel, s);
}

void ReadModelLagChart::addSample(const QString &readModel, const readmodel::LagSample &sample)
{
    Series &s = seriesFor(readModel);
    ++s.samples;
    s.latest = sample.toString();
    if (sample.ok()) {
        const double t = double(sample.atMs) / 1000.0;
        s.events->addData(t, double(sample.eventsBehind));
        s.seconds->addData(t, sample.secondsBehind);
    }
    m_plot->rescaleAxes();
    // Events from zero ("behind" starts at caught up). Seconds around their values: an age of weeks that moves
    // by minutes would otherwise be a flat line at the top.
    const QCPRange events = m_plot->yAxis->range();
    m_plot->yAxis->setRange(0, std::max(1.0, events.upper * 1.15));
    const QCPRange seconds = m_plot->yAxis2->range();
    const double pad = std::max(1.0, seconds.size() * 0.15);
    m_plot->yAxis2->setRange(std::max(0.0, seconds.lower - pad), seconds.upper + pad);
    const QCPRange x = m_plot->xAxis->range();
    if (x.size() < 10)
        m_plot->xAxis->setRange(x.center() - 5, x.center() + 5);
    updateStatus();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ReadModelLagChart::clear()
{
    m_plot->clearGraphs();
    m_series.clear();
    m_order.clear();
    updateStatus();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ReadModelLagChart::setNotice(const QString &text)
{
    m_notice = text;
    updateStatus();
}

int ReadModelLagChart::sampleCount(const QString &readModel) const
{
    return m_series.value(readModel).samples;
}

void ReadModelLagChart::updateStatus()
{
    QStringList lines;
    if (!m_notice.isEmpty())
        lines.append(m_notice);
    for (const QString &name : m_order)
        lines.append(name + QStringLiteral(": ") + m_series.value(name).latest);
    if (lines.isEmpty())
        lines.append(tr("No read model with a checkpoint: declare one in the reducer file's readModels "
                        "(docs/READ-MODELS.md, \"Lag\")."));
    m_status->setText(lines.join(QLatin1Char('\n')));
}

void ReadModelLagChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}

void ReadModelLagChart::restyle()
{
    const QPalette p = palette();
    m_plot->setBackground(p.color(QPalette::Base));
    const QColor text = p.color(QPalette::Text);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2}) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(p.color(QPalette::Mid), 0, Qt::DotLine));
    }
    m_plot->legend->setBrush(p.color(QPalette::Base));
    m_plot->legend->setTextColor(text);
    m_plot->legend->setBorderPen(QPen(p.color(QPalette::Mid)));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace chronoscope::views
