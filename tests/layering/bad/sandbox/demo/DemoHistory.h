#pragma once
#include "EventStore.h"
#include "wire/GrpcChannel.h"
