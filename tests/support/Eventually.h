#pragma once
// Polls a condition a test waits for, without a fixed sleep.

#include <QElapsedTimer>
#include <QThread>

#include <functional>

/// True once `check` holds, false if it still does not after `ms` milliseconds.
inline bool eventually(const std::function<bool()> &check, int ms = 5000)
{
    QElapsedTimer t;
    t.start();
    while (!check()) {
        if (t.elapsed() > ms)
            return false;
        QThread::msleep(5);
    }
    return true;
}
