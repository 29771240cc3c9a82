#pragma once
#include "model/Types.h"
