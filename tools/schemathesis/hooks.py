"""Hooks every run of Schemathesis by the project loads (SCHEMATHESIS_HOOKS).

A text body under a media type outside `text/*` that Schemathesis knows no writer for
(Elastic Cloud Enterprise's `application/text`, whose schema is a string) would make it
report "SerializationNotPossible" and leave the operation's bodies untested. Such a body
is text: it is written as Schemathesis writes `text/plain`, under the media type the
description declares.
"""

import schemathesis

schemathesis.serializer.alias("application/text", "text/plain")
