#include "ReadModelLagDock.h"

#include "readmodel/ReadModelLagChart.h"
#include "readmodel/postgres/PostgresSource.h"
#include "readmodel/redis/RedisSource.h"

#include <QFile>

namespace chronoscope {

using readmodel::ReadModelMapping;

ReadModelLagDock::ReadModelLagDock(QWidget *parent)
    : QDockWidget(tr("Read-model lag"), parent)
    , m_chart(new views::ReadModelLagChart(this))
    , m_sampler(new readmodel::LagSampler(this))
{
    setObjectName(QStringLiteral("readModelLagDock"));
    setWidget(m_chart);
    connect(m_sampler, &readmodel::LagSampler::sampled, m_chart, &views::ReadModelLagChart::addSample);
}

void ReadModelLagDock::stop()
{
    m_sampler->stop();
}

void ReadModelLagDock::watch(std::shared_ptr<const StreamsClient> client, const QString &reducerFile,
                             const QList<ReadModelEndpoint> &endpoints, const QHash<QString, QString> &passwords)
{
    QFile file(reducerFile);
    if (!file.open(QIODevice::ReadOnly)) {
        m_chart->setNotice(tr("Cannot read %1: %2").arg(reducerFile, file.errorString()));
        return;
    }
    ReadModelMapping::ParseError error;
    const std::optional<QList<ReadModelMapping>> all = ReadModelMapping::fromReducerFile(file.readAll(), &error);
    if (!all) {
        m_chart->setNotice(tr("The reducer file's readModels: %1").arg(error.toString()));
        return;
    }
    QHash<QString, ReadModelEndpoint> byName;
    for (const ReadModelEndpoint &e : endpoints)
        byName.insert(e.name, e);
    QList<ReadModelMapping> watched;
    for (const ReadModelMapping &m : *all)
        if (m.checkpoint().isSet() && byName.contains(m.endpoint()))
            watched.append(m);
    m_chart->setNotice({});
    m_sampler->start(std::move(client), watched,
                     [byName, passwords](const ReadModelMapping &m) -> std::unique_ptr<readmodel::ReadModelSource> {
                         const ReadModelEndpoint e = byName.value(m.endpoint());
                         if (e.backend == ReadModelEndpoint::Backend::Redis)
                             return std::make_unique<readmodel::RedisSource>(e, passwords.value(e.name), m);
                         return std::make_unique<readmodel::PostgresSource>(e, passwords.value(e.name), m);
                     });
}

} // namespace chronoscope
