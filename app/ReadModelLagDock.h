#pragma once

#include "connection/ReadModelEndpoint.h"
#include "readmodel/LagSampler.h"

#include <QDockWidget>
#include <QHash>

namespace chronoscope {

class StreamsClient;

namespace views {
class ReadModelLagChart;
}

/// The "Read-model lag" dock: the lag chart, fed by a LagSampler that samples every read model of the reducer
/// file whose mapping declares a checkpoint and whose endpoint the connection's profile has.
class ReadModelLagDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit ReadModelLagDock(QWidget *parent = nullptr);

    views::ReadModelLagChart *chart() const { return m_chart; }
    readmodel::LagSampler *sampler() const { return m_sampler; }

    /// (Re)starts sampling: the mappings of `reducerFile` over the endpoints known, with their passwords
    /// (in memory only). An unreadable reducer file or no matching endpoint is said in the chart.
    void watch(std::shared_ptr<const StreamsClient> client, const QString &reducerFile,
               const QList<ReadModelEndpoint> &endpoints, const QHash<QString, QString> &passwords);
    void stop();

private:
    views::ReadModelLagChart *m_chart;
    readmodel::LagSampler *m_sampler;
};

} // namespace chronoscope
