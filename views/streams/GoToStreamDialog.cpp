#include "streams/GoToStreamDialog.h"

#include <QCompleter>
#include <QLineEdit>

namespace chronoscope::views {

GoToStreamDialog::GoToStreamDialog(const QString &initial, QAbstractItemModel *names, QWidget *parent)
    : QInputDialog(parent)
{
    setObjectName(QStringLiteral("goToStreamDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Go to Stream"));
    setLabelText(tr("Stream name (listed or not):"));
    setTextValue(initial);
    if (auto *edit = findChild<QLineEdit *>(); edit && names) {
        auto *completer = new QCompleter(names, edit);
        completer->setCaseSensitivity(Qt::CaseInsensitive);
        completer->setFilterMode(Qt::MatchContains);
        edit->setCompleter(completer);
    }
    connect(this, &QInputDialog::textValueSelected, this, [this](const QString &text) {
        const QByteArray name = text.trimmed().toUtf8();
        if (!name.isEmpty())
            Q_EMIT streamChosen(name);
    });
}

} // namespace chronoscope::views
