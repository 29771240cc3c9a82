#pragma once

#include <QInputDialog>

class QAbstractItemModel;

namespace chronoscope::views {

/// "Go to stream": a non-modal name prompt that completes from the listed names (contains, any
/// case) but accepts any name, listed or not. Deletes itself when closed.
class GoToStreamDialog : public QInputDialog
{
    Q_OBJECT
public:
    GoToStreamDialog(const QString &initial, QAbstractItemModel *names, QWidget *parent);

Q_SIGNALS:
    void streamChosen(const QByteArray &name);
};

} // namespace chronoscope::views
