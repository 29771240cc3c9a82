#pragma once

namespace chronoscope {

/// Lowers the calling thread's scheduling priority for background work (loading, counting,
/// exporting): on a busy machine the GUI thread, and the helper threads Qt's raster engine hands
/// parts of a paint to, then get the CPU first, so loading slows down before the window does.
/// On Linux the thread's nice value is raised to kBackgroundNice (a thread may always lower its
/// own priority; it is never raised back); elsewhere QThread::LowPriority. Idempotent, cheap.
void lowerCurrentThreadPriority();

/// The calling thread's nice value (Linux; 0 elsewhere). For tests.
int currentThreadNice();

constexpr int kBackgroundNice = 5;

} // namespace chronoscope
