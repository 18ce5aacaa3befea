// Who acts in a writing command (issue 14 item 4, docs/security.md "Roles"): --user/SOQUY_USER,
// else the user named like the OS login, else a file's only user; otherwise refused (77), never
// a silent admin.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "soquy/ledger.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::failed_with;

class ActingUser : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
  }
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(ActingUser, AFileWithOneUserActsAsIt) {
  ASSERT_TRUE(ledger_->act_as_writer("", "root"));
  EXPECT_EQ(ledger_->actor().name, "admin");
}

TEST_F(ActingUser, SeveralUsersAndNoNameIsRefusedNotTheFirstAdmin) {
  SOQUY_SQLITE_ONLY("on a server the acting user is the login (docs/server.md, \"Who acts\")");
  ASSERT_TRUE(ledger_->add_user("lan", Role::kTreasurer));
  ASSERT_TRUE(ledger_->add_user("hoa", Role::kOfficer));
  auto r = ledger_->act_as_writer("", "root");
  ASSERT_TRUE(failed_with(r, ErrorKind::kPermission));
  const std::string& m = r.error().message();
  EXPECT_NE(m.find("admin, lan, hoa"), std::string::npos) << m;
  EXPECT_NE(m.find("--user NAME or SOQUY_USER=NAME"), std::string::npos) << m;
  // Without any login either.
  EXPECT_TRUE(failed_with(ledger_->act_as_writer("", ""), ErrorKind::kPermission));
}

TEST_F(ActingUser, TheUserNamedLikeTheLoginActsWithoutANameAndANameWins) {
  SOQUY_SQLITE_ONLY("on a server the acting user is the login (docs/server.md, \"Who acts\")");
  ASSERT_TRUE(ledger_->add_user("lan", Role::kTreasurer));
  ASSERT_TRUE(ledger_->add_user("hoa", Role::kOfficer));
  ASSERT_TRUE(ledger_->act_as_writer("", "hoa"));
  EXPECT_EQ(ledger_->actor().name, "hoa");
  ASSERT_TRUE(ledger_->act_as_writer("lan", "hoa"));
  EXPECT_EQ(ledger_->actor().name, "lan");
  EXPECT_TRUE(failed_with(ledger_->act_as_writer("nobody", "hoa"), ErrorKind::kPermission));
}

}  // namespace
}  // namespace soquy
