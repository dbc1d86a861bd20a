/* Sign-in throttling's rules (growing locks, attempts checked at once) and
 * the client address behind proxies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/client_addr.h"
#include "http/throttle.h"

static void locks_grow_from_the_limit(void **state)
{
	(void)state;
	assert_int_equal(throttle_lock_seconds(0, 5), 0);
	assert_int_equal(throttle_lock_seconds(4, 5), 0);
	assert_int_equal(throttle_lock_seconds(5, 5), 30);
	assert_int_equal(throttle_lock_seconds(6, 5), 60);
	assert_int_equal(throttle_lock_seconds(7, 5), 120);
	assert_int_equal(throttle_lock_seconds(9, 5), 480);
	assert_int_equal(throttle_lock_seconds(10, 5), 900);
	assert_int_equal(throttle_lock_seconds(1000, 5), 900);
}

static void slots_are_the_failures_left_at_least_one(void **state)
{
	(void)state;
	assert_int_equal(throttle_slots(0, 5), 5);
	assert_int_equal(throttle_slots(3, 5), 2);
	assert_int_equal(throttle_slots(4, 5), 1);
	/* past the limit, once the lock has ended: one attempt at a time */
	assert_int_equal(throttle_slots(5, 5), 1);
	assert_int_equal(throttle_slots(50, 5), 1);
}

static const char *pick(const char *peer, const char *xff, const char *trusted)
{
	static char out[INET6_ADDRSTRLEN];
	client_addr_pick(peer, xff, trusted, out);
	return out;
}

static void address_from_a_trusted_proxy_only(void **state)
{
	(void)state;
	/* no header: the peer */
	assert_string_equal(pick("198.51.100.1", NULL, NULL), "198.51.100.1");
	/* an untrusted peer's header is ignored */
	assert_string_equal(pick("198.51.100.1", "203.0.113.9", NULL), "198.51.100.1");
	assert_string_equal(pick("127.0.0.1", "203.0.113.9", "10.0.0.2"), "127.0.0.1");
	/* loopback is trusted by default, a listed proxy when a list is given */
	assert_string_equal(pick("127.0.0.1", "203.0.113.9", NULL), "203.0.113.9");
	assert_string_equal(pick("::1", "203.0.113.9", NULL), "203.0.113.9");
	assert_string_equal(pick("10.0.0.2", "203.0.113.9", "10.0.0.1, 10.0.0.2"), "203.0.113.9");
	/* the right-most entry that is not a trusted proxy: the left ones are
	 * the client's to forge */
	assert_string_equal(pick("127.0.0.1", "1.2.3.4, 203.0.113.9", NULL), "203.0.113.9");
	assert_string_equal(pick("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1", "10.0.0.1,10.0.0.2"),
			    "203.0.113.9");
	/* canonical forms */
	assert_string_equal(pick("127.0.0.1", " 2001:DB8::0001 ", NULL), "2001:db8::1");
	assert_string_equal(pick("2001:db8::2", "192.0.2.7", "2001:0db8::2"), "192.0.2.7");
	/* an entry that is not an address is not taken */
	assert_string_equal(pick("127.0.0.1", "\xff\xfe", NULL), "127.0.0.1");
	assert_string_equal(pick("127.0.0.1", "203.0.113.9, junk", NULL), "127.0.0.1");
	assert_string_equal(pick("127.0.0.1", "", NULL), "127.0.0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locks_grow_from_the_limit),
		cmocka_unit_test(slots_are_the_failures_left_at_least_one),
		cmocka_unit_test(address_from_a_trusted_proxy_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
