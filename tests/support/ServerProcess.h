#pragma once

#include "readmodel/local/ServerProcess.h"

/// The real-server helpers live in core (LocalPostgres and LocalRedis use them); tests call them by this name.
namespace serverprocess = chronoscope::readmodel::local;
