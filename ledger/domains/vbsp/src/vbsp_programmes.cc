// The names of VBSP's lending programmes, by their two-digit code (vbsp.h).
#include <map>
#include <string_view>

#include "soquy/vbsp.h"

namespace soquy {

std::string_view vbsp_programme_name(std::string_view code) {
  static const std::map<std::string_view, std::string_view> k = {
      {"01", "Hộ nghèo"},
      {"02", "Học sinh, sinh viên"},
      {"03", "Giải quyết việc làm"},
      {"04", "Xuất khẩu lao động"},
      {"06", "Nước sạch và vệ sinh môi trường"},
      {"07", "Nhà ở hộ nghèo"},
      {"09", "Hộ mới thoát nghèo"},
      {"10", "Doanh nghiệp vùng khó khăn"},
      {"12", "Nhà ở xã hội"},
      {"15", "Thương nhân vùng khó khăn"},
      {"17", "Đồng bào dân tộc thiểu số (QĐ 755)"},
      {"19", "Hộ cận nghèo"},
      {"21", "Đồng bào dân tộc thiểu số (QĐ 2085)"},
      {"25", "Vùng đồng bào DTTS và miền núi"},
      {"26", "Người chấp hành xong án phạt tù"},
      {"99", "Khác"},
  };
  auto it = k.find(code);
  return it == k.end() ? std::string_view() : it->second;
}

}  // namespace soquy
