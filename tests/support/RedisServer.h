#pragma once

#include "readmodel/local/LocalRedis.h"
#include "support/ServerProcess.h"

/// A real redis-server for tests: core's LocalRedis (the demo's read models start the same).
using RedisServer = chronoscope::readmodel::local::LocalRedis;
