/* Chinese for the messages of src/http/ (see base/err.h), and the names of
 * records that scope_check names ("this person is outside your area"). */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	/* auth.c */
	{"must be at least 8 characters", "至少需要 8 个字符"},
	{"must be at most 128 characters", "不能超过 128 个字符"},
	{"this device token is not valid or was revoked", "此设备令牌无效或已被吊销"},
	{"expected \"Bearer <device token>\"", "格式应为 \"Bearer <设备令牌>\""},
	{"too many failed sign-ins; try again in %lld seconds", "登录失败次数过多，请在 %lld 秒后重试"},
	{"a device has no account settings", "设备没有账户设置"},
	{"must be zh-CN or en", "必须是 zh-CN 或 en"},
	{"a device has no password", "设备没有密码"},
	{"is required", "为必填项"},
	{"is not your password", "不是您的密码"},
	/* export.c */
	{"must be json, csv or xlsx", "必须是 json、csv 或 xlsx"},
	{"must be asc or desc", "必须是 asc（从早到晚）或 desc（从新到旧）"},
	{"must be at most 64 characters", "不能超过 64 个字符"},
	/* request.c */
	{"no such record", "记录不存在"},
	{"must be a whole number from %lld to %lld", "必须是 %lld 到 %lld 之间的整数"},
	{"a JSON object is required", "请求内容必须是 JSON 对象"},
	{"malformed JSON at line %d column %d: %s", "JSON 格式错误（第 %d 行第 %d 列）：%s"},
	{"must be a string", "必须是文本"},
	{"must not contain NUL characters", "不能包含 NUL 字符"},
	{"must not be empty", "不能为空"},
	{"must be at most %zu characters", "不能超过 %zu 个字符"},
	{"must not contain control characters", "不能包含控制字符"},
	{"must be a whole number", "必须是整数"},
	{"must be from %lld to %lld", "必须在 %lld 到 %lld 之间"},
	{"must be true or false", "必须是 true 或 false"},
	{"must be an id, not null", "必须是编号，不能为空"},
	{"must be a positive whole number (an id)", "必须是正整数（编号）"},
	{"must be UTF-8 text without control characters", "必须是不含控制字符的 UTF-8 文本"},
	/* scope.c */
	{"this applies to the whole district: it needs an account whose area (scope) is the district",
	 "此项适用于全区：须由管辖范围为全区的账户操作"},
	{"sign in first", "请先登录"},
	{"this %s is outside your area (scope)", "此%s不在您的管辖范围内"},
	{"no such %s", "%s不存在"},
	/* server.c */
	{"only GET here", "此处只支持 GET"},
	{"no such page", "页面不存在"},
	{"this client id was already used by someone else", "此客户端编号已被他人使用"},
	{"this client id was already used with another body: a retry sends the same request, a new request a new id",
	 "此客户端编号已用于内容不同的请求：重试须发送相同的请求，新请求须使用新编号"},
	{"%s is not allowed on %s (only %s)", "%s 不适用于 %s（仅支持 %s）"},
	{"no such route: %s", "接口不存在：%s"},
	{"your role (%s) may not do this", "您的角色（%s）无权执行此操作"},
	{"the body is larger than %zu bytes", "请求内容超过 %zu 字节"},
	{"no such route or record", "接口或记录不存在"},
	{"internal error; see the server log", "服务器内部错误，请查看服务器日志"},
	/* settings.c */
	{"is not a setting", "不是一项设置"},
	/* record names given to scope_check */
	{"unit", "单位"},
	{"household", "住户"},
	{"person", "人员"},
	{"gate", "门岗"},
	{"fever", "发热记录"},
	{"risk area", "风险地区"},
	{"pass", "通行证"},
	{"import", "导入批次"},
};
ERR_CATALOG(http_zh, "src/http", msgs);
