#pragma once
#include <libpq-fe.h>
#include <postgres_ext.h>
