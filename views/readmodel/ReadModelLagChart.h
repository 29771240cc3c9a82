#pragma once

#include "readmodel/ReadModelLag.h"

#include <QHash>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QLabel;

namespace chronoscope::views {

/// The lag of read models over time (issue 14 item 5): two plots over one time axis — events behind (solid
/// lines, above, "events") and the age of the oldest unprocessed event (dashed, below, "age" in seconds,
/// minutes, hours or days as its size asks) — one point per sample, and a line under the plots with each
/// model's latest sample or why it could not be taken. Each read model keeps one colour in both plots and has
/// one legend entry; models are ordered by name in the legend and coloured in that order, so the chart looks
/// the same whichever model's sample came first. Shows what it is given (addSample()); LagSampler takes the
/// samples off the GUI thread.
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
    /// The legend's entries, top-left first (for tests), and the colour a read model is drawn in.
    QStringList legendEntries() const;
    QColor colourOf(const QString &readModel) const;
    /// The unit of the age plot: "seconds", "minutes", "hours" or "days".
    QString ageUnit() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Series
    {
        QCPGraph *events = nullptr;
        QCPGraph *seconds = nullptr;
        QList<QPair<double, double>> ages; ///< (time, seconds behind): replotted when the unit changes
        QString latest;
        int samples = 0;
    };
    Series &seriesFor(const QString &readModel);
    void updateStatus();
    void restyle();
    /// Colours and legend entries in name order.
    void arrange();
    /// The age plot's unit for the largest age shown; replots every age in it when it changes.
    void chooseAgeUnit();
    void rescale();

    QCustomPlot *m_plot;
    QCPAxisRect *m_ageRect;
    double m_ageUnit = 1; ///< seconds per unit of the age plot
    QLabel *m_status;
    QHash<QString, Series> m_series;
    QStringList m_order;
    QString m_notice;
};

} // namespace chronoscope::views
