#include "wire/GrpcRuntime.h"

#include <absl/synchronization/mutex.h>

#include <mutex>

namespace chronoscope {

void tuneGrpcRuntime()
{
    static std::once_flag once;
    std::call_once(once, [] { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); });
}

} // namespace chronoscope
