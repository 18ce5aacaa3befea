// Compile-time guarantees of the money types (conventions.md §9, after HowardHinnant/date's
// *.fail.cpp tests): the misuses below must not compile. Each is checked with a trait or a
// requires-expression, so the suite stays one binary; if someone adds, say, a Money(double)
// constructor or an operator*, this file stops compiling.
#include <cstdint>
#include <type_traits>

#include <gtest/gtest.h>

#include "soquy/money.h"
#include "soquy/rate.h"

namespace soquy {
namespace {

template <class A, class B>
concept Multipliable = requires(A a, B b) { a * b; };
template <class A, class B>
concept Dividable = requires(A a, B b) { a / b; };
template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept PlusAssignable = requires(A& a, B b) { a += b; };

// --- No floating point, ever -----------------------------------------------------------------
static_assert(!std::is_constructible_v<Money, double>);
static_assert(!std::is_constructible_v<Money, float>);
static_assert(!std::is_constructible_v<Money, long double>);
static_assert(!std::is_constructible_v<Money, double, Currency>);
static_assert(!std::is_convertible_v<double, Money>);
static_assert(!std::is_assignable_v<Money&, double>);
static_assert(!Addable<Money, double>);
static_assert(!Multipliable<Money, double>);
// And Money does not leak out as a number either.
static_assert(!std::is_convertible_v<Money, double>);
static_assert(!std::is_convertible_v<Money, std::int64_t>);
static_assert(!std::is_constructible_v<double, Money>);

// --- No Money × Money (nor Money × n or Money ÷ anything: use times() or a Rational) ---------
static_assert(!Multipliable<Money, Money>);
static_assert(!Multipliable<Money, int>);
static_assert(!Multipliable<int, Money>);
static_assert(!Multipliable<Money, std::int64_t>);
static_assert(!Dividable<Money, Money>);
static_assert(!Dividable<Money, int>);
// What is allowed: Money + Money, Money − Money, += on Money.
static_assert(Addable<Money, Money>);
static_assert(PlusAssignable<Money, Money>);

// --- Integers only explicitly: a bare 5 is not five đồng by accident ----------------------------
static_assert(std::is_constructible_v<Money, int>);
static_assert(std::is_constructible_v<Money, std::int64_t>);
static_assert(!std::is_convertible_v<int, Money>);
static_assert(!std::is_convertible_v<std::int64_t, Money>);
static_assert(!std::is_assignable_v<Money&, int>);
static_assert(!Addable<Money, int>);
static_assert(!Addable<int, Money>);
static_assert(!PlusAssignable<Money, int>);
static_assert(!std::is_constructible_v<Money, bool>);
// A function taking Money cannot be called with a raw count.
static_assert(!std::is_invocable_v<Result<Money> (Money::*)(Money) const, const Money&, int>);

// --- A fraction reaches Money only through round_to_money (one named rounding) ----------------
static_assert(!std::is_constructible_v<Money, Rational>);
static_assert(!std::is_convertible_v<Rational, Money>);
static_assert(!Multipliable<Money, Rational>);

// Money stays a cheap value type usable in constant expressions.
static_assert(std::is_trivially_copyable_v<Money>);
static_assert(Money(5).minor_units() == 5);
static_assert(Money(-5) < Money(0));
static_assert(Money() == Money(0));

TEST(TypeSafety, CompileTimeChecksHold) {
  // The real checks are the static_asserts above; this confirms the file was compiled and that
  // the allowed forms behave.
  Money m(1500000);
  m += Money(500000);
  EXPECT_EQ(m.minor_units(), 2000000);
  EXPECT_EQ(Money{7}.minor_units(), 7);
}

// The "never from float" rule also holds at soquy's rational entry points: round_to_money and
// the Rate constructor have deleted floating-point overloads, because cpp_rational would
// otherwise accept a double silently (with its binary value, not 1234.56).
template <class T>
concept RoundableToMoney = requires(T v) { round_to_money(v); };
constexpr bool kRationalFromDoubleImplicitly = std::is_convertible_v<double, Rational>;
constexpr bool kRoundToMoneyTakesDouble = RoundableToMoney<double>;
constexpr bool kRateTakesDouble = std::is_constructible_v<Rate, double, RatePeriod>;

TEST(TypeSafety, RationalEntryPointsRejectDouble) {
  EXPECT_FALSE(kRoundToMoneyTakesDouble);
  EXPECT_FALSE(kRateTakesDouble);
  // Boost's cpp_rational itself still converts from double (vector<Rational>{0.5} compiles);
  // that is Boost's API, so soquy's own entry points are the ones closed.
  EXPECT_TRUE(kRationalFromDoubleImplicitly);
}

}  // namespace
}  // namespace soquy
