#pragma once

#include "readmodel/ReadModelLag.h"

#include <QHash>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QLabel;

namespace chronoscope::views {

/// The lag of read models over time (issue 14 item 5): for each read model, events behind (solid, left axis)
/// and seconds behind — the age of its oldest unprocessed event — (dashed, right axis), one point per sample,
/// and a line under the plot with each model's latest sample or why it could not be taken. Shows what it is
/// given (addSample()); LagSampler takes the samples off the GUI thread.
class ReadModelLagChart : public QWidget
{
    Q_OBJECT
public:
    explicit ReadModelLagChart(QWidget *parent = nullptr);

    void addSample(const QString &readModel, const readmodel::LagSample &sample);
    /// Forgets every read model and its samples.
    void clear();
    /// Says why there is nothing to show (no read models, their servers did not start, …).
    void setNotice(const QString &text);
    int sampleCount(const QString &readModel) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Series
    {
        QCPGraph *events = nullptr;
        QCPGraph *seconds = nullptr;
        QString latest;
        int samples = 0;
    };
    Series &seriesFor(const QString &readModel);
    void updateStatus();
    void restyle();

    QCustomPlot *m_plot;
    QLabel *m_status;
    QHash<QString, Series> m_series;
    QStringList m_order;
    QString m_notice;
};

} // namespace chronoscope::views
