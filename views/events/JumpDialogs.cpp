#include "events/JumpDialogs.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QLineEdit>
#include <QRegularExpressionValidator>

namespace chronoscope::views {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("JumpDialogs", s); }

QDialog *makeDialog(QWidget *parent, const QString &name, const QString &title, QFormLayout **form)
{
    auto *dialog = new QDialog(parent);
    dialog->setObjectName(name);
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    *form = new QFormLayout(dialog);
    return dialog;
}

QDialogButtonBox *addButtons(QDialog *dialog, QFormLayout *form)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return buttons;
}
} // namespace

namespace {
/// A one-field dialog asking for an unsigned number.
void openNumber(QWidget *parent, const QString &name, const QString &title, const QString &label,
                const QString &editName, std::function<void(quint64)> onAccepted)
{
    QFormLayout *form = nullptr;
    QDialog *dialog = makeDialog(parent, name, title, &form);
    auto *edit = new QLineEdit(dialog);
    edit->setObjectName(editName);
    edit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,20}")), edit));
    form->addRow(label, edit);
    addButtons(dialog, form);
    QObject::connect(dialog, &QDialog::accepted, dialog, [edit, onAccepted]() {
        bool ok = false;
        const quint64 number = edit->text().toULongLong(&ok);
        if (ok)
            onAccepted(number);
    });
    dialog->open();
}
} // namespace

void JumpDialogs::openRevision(QWidget *parent, std::function<void(quint64)> onAccepted)
{
    openNumber(parent, QStringLiteral("jumpToRevisionDialog"), tr("Jump to Revision"), tr("Revision:"),
               QStringLiteral("revisionEdit"), std::move(onAccepted));
}

void JumpDialogs::openPosition(QWidget *parent, std::function<void(quint64)> onAccepted)
{
    openNumber(parent, QStringLiteral("jumpToPositionDialog"), tr("Jump to Position in $all"),
               tr("Commit position:"), QStringLiteral("positionEdit"), std::move(onAccepted));
}

namespace {
/// The time zone choice of the time dialogs; switching it keeps the instants of `edits`.
QComboBox *addZoneChoice(QDialog *dialog, QFormLayout *form, bool utc, const QList<QDateTimeEdit *> &edits)
{
    auto *zone = new QComboBox(dialog);
    zone->setObjectName(QStringLiteral("timeZoneCombo"));
    zone->addItem(tr("UTC"));
    zone->addItem(tr("Local time"));
    zone->setCurrentIndex(utc ? 0 : 1);
    QObject::connect(zone, &QComboBox::currentIndexChanged, dialog, [edits](int i) {
        for (QDateTimeEdit *edit : edits) {
            const QDateTime shown = edit->dateTime();
            edit->setTimeSpec(i == 0 ? Qt::UTC : Qt::LocalTime);
            edit->setDateTime(shown.toTimeSpec(edit->timeSpec()));
        }
    });
    form->addRow(tr("Time zone:"), zone);
    return zone;
}

QDateTimeEdit *timeEdit(QDialog *dialog, const QString &name, const QDateTime &initial, bool utc)
{
    auto *edit = new QDateTimeEdit(dialog);
    edit->setObjectName(name);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    edit->setCalendarPopup(true);
    edit->setTimeSpec(utc ? Qt::UTC : Qt::LocalTime);
    edit->setDateTime(initial.toTimeSpec(edit->timeSpec()));
    return edit;
}
} // namespace

void JumpDialogs::openTime(QWidget *parent, const QDateTime &initial, bool utc,
                           std::function<void(const QDateTime &)> onAccepted)
{
    QFormLayout *form = nullptr;
    QDialog *dialog = makeDialog(parent, QStringLiteral("jumpToTimeDialog"), tr("Jump to Time"), &form);
    QDateTimeEdit *edit = timeEdit(dialog, QStringLiteral("timeEdit"), initial, utc);
    addZoneChoice(dialog, form, utc, {edit});
    form->addRow(tr("Time:"), edit);
    addButtons(dialog, form);
    QObject::connect(dialog, &QDialog::accepted, dialog, [edit, onAccepted]() { onAccepted(edit->dateTime()); });
    dialog->open();
}

void JumpDialogs::openTimeRange(QWidget *parent, const QDateTime &from, const QDateTime &to, bool utc,
                                std::function<void(const QDateTime &, const QDateTime &)> onAccepted)
{
    QFormLayout *form = nullptr;
    QDialog *dialog = makeDialog(parent, QStringLiteral("timeRangeDialog"), tr("Time Range"), &form);
    QDateTimeEdit *fromEdit = timeEdit(dialog, QStringLiteral("fromEdit"), from, utc);
    QDateTimeEdit *toEdit = timeEdit(dialog, QStringLiteral("toEdit"), to, utc);
    addZoneChoice(dialog, form, utc, {fromEdit, toEdit});
    form->addRow(tr("From:"), fromEdit);
    form->addRow(tr("To:"), toEdit);
    auto *problem = new QLabel(dialog);
    problem->setObjectName(QStringLiteral("rangeProblem"));
    problem->setStyleSheet(QStringLiteral("color: #c0392b"));
    form->addRow(problem);
    QDialogButtonBox *buttons = addButtons(dialog, form);
    auto check = [fromEdit, toEdit, problem, buttons]() {
        const bool ok = fromEdit->dateTime() <= toEdit->dateTime();
        problem->setText(ok ? QString() : tr("From is after To."));
        problem->setVisible(!ok);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    };
    QObject::connect(fromEdit, &QDateTimeEdit::dateTimeChanged, dialog, check);
    QObject::connect(toEdit, &QDateTimeEdit::dateTimeChanged, dialog, check);
    check();
    QObject::connect(dialog, &QDialog::accepted, dialog, [fromEdit, toEdit, onAccepted]() {
        if (fromEdit->dateTime() <= toEdit->dateTime())
            onAccepted(fromEdit->dateTime(), toEdit->dateTime());
    });
    dialog->open();
}

} // namespace chronoscope::views
