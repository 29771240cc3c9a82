#include "connection/ConnectionStatus.h"

#include <QHBoxLayout>
#include <QLabel>

namespace chronoscope::views {

namespace {

// A small round mark before the state: grey idle, amber pending, green up, red down.
QString dot(ConnectionStatus::State state)
{
    switch (state) {
    case ConnectionStatus::State::Connected:
        return QStringLiteral("<span style='color:#2e9e44'>●</span>");
    case ConnectionStatus::State::Unreachable:
        return QStringLiteral("<span style='color:#c0392b'>●</span>");
    case ConnectionStatus::State::Starting:
    case ConnectionStatus::State::Connecting:
        return QStringLiteral("<span style='color:#d68910'>●</span>");
    case ConnectionStatus::State::NotConnected:
        break;
    }
    return QStringLiteral("<span style='color:#888888'>●</span>");
}

} // namespace

ConnectionStatus::ConnectionStatus(QWidget *parent)
    : QWidget(parent)
    , m_stateLabel(new QLabel(this))
    , m_nodeLabel(new QLabel(this))
    , m_versionLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionStatus"));
    m_stateLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_nodeLabel->setObjectName(QStringLiteral("nodeLabel"));
    m_versionLabel->setObjectName(QStringLiteral("versionLabel"));
    m_stateLabel->setTextFormat(Qt::RichText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(m_stateLabel);
    layout->addWidget(m_nodeLabel);
    layout->addWidget(m_versionLabel);
    setState(State::NotConnected, tr("Not connected"));
}

void ConnectionStatus::setConnecting(const QString &target)
{
    m_target = target;
    m_nodeLabel->clear();
    m_versionLabel->setText(tr("Server version: …"));
    setState(State::Connecting, tr("Connecting to %1…").arg(target));
}

void ConnectionStatus::setStarting(const QString &text)
{
    m_target.clear();
    m_nodeLabel->clear();
    m_versionLabel->clear();
    setState(State::Starting, text);
}

void ConnectionStatus::setConnected(const QString &node, const QString &version)
{
    m_nodeLabel->setText(node.isEmpty() ? QString() : tr("Node: %1").arg(node));
    m_versionLabel->setText(version.isEmpty() ? tr("Server version unknown") : tr("Server version %1").arg(version));
    setState(State::Connected, tr("Connected: %1").arg(m_target));
}

void ConnectionStatus::setUnreachable(const QString &reason)
{
    m_nodeLabel->clear();
    m_versionLabel->setText(tr("Server unreachable"));
    setState(State::Unreachable, tr("Not connected: %1").arg(m_target));
    m_stateLabel->setToolTip(reason);
}

void ConnectionStatus::setOffline(const QString &text)
{
    m_target.clear();
    m_nodeLabel->clear();
    m_versionLabel->clear();
    setState(State::NotConnected, text);
}

void ConnectionStatus::setState(State state, const QString &text)
{
    m_state = state;
    m_stateText = text;
    m_stateLabel->setText(dot(state) + QLatin1Char(' ') + text.toHtmlEscaped());
    m_stateLabel->setToolTip(text);
}

QString ConnectionStatus::stateText() const
{
    return m_stateText;
}

QString ConnectionStatus::nodeText() const
{
    return m_nodeLabel->text();
}

QString ConnectionStatus::versionText() const
{
    return m_versionLabel->text();
}

} // namespace chronoscope::views
