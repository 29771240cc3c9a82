#pragma once
#include "model/Types.h"
#include "wire/GrpcChannel.h"
