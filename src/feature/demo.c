/* placeholder demo; replaced by the real builder */
#include "demo.h"
int demo_build(struct db *db, uint32_t seed, FILE *progress, struct err_info *ei)
{
	(void)db; (void)seed; (void)progress;
	return err_set(ei, ERR_INTERNAL, "", "not yet");
}
void demo_print_accounts(struct db *db, FILE *out) { (void)db; (void)out; }
