"""schemathesis hooks for .ci/schemathesis.

`POST /api/v1/mail/inbound` takes a raw message as `message/rfc822`; schemathesis has no
serializer for that media type, so its generated text goes on the wire as is, like text/plain.
"""

import schemathesis

schemathesis.serializer.alias("message/rfc822", "text/plain")
