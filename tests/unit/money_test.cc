#include <gtest/gtest.h>
#include "soquy/money.h"
TEST(Money, Placeholder) { EXPECT_EQ(soquy::Money(5).minor_units(), 5); }
