// Brings cdktf's jest matcher declarations (toHaveResourceWithProperties, …) into the tests'
// type check; `setup.ts` registers the matchers themselves.
import "cdktf/lib/testing/adapters/jest";
