#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace chronoscope {

class FoldController;
class TimelineSession;

/// The fold engine's checkpoint building (what keeps scrubbing fast), a strip above the state pane:
/// "Building checkpoints: 41,000 of 100,000 events", a bar and Stop. Stopped or failed short of the
/// end, it says how far the checkpoints go and offers Resume (or Retry). Hidden otherwise.
class CheckpointProgress : public QWidget
{
    Q_OBJECT
public:
    CheckpointProgress(FoldController *controller, TimelineSession *session, QWidget *parent = nullptr);

    QString text() const;
    QProgressBar *bar() const { return m_bar; }
    QToolButton *button() const { return m_button; }

private:
    FoldController *m_controller;
    TimelineSession *m_session;
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_button;
};

} // namespace chronoscope
