"""HEAD answered without a body, as HTTP requires.

Django builds a HEAD response like the GET one, body included, and leaves it to the
server to drop the body; its development server does, gunicorn drops it too but logs
a warning for every HEAD request. The body goes here instead, after every inner
middleware (``CommonMiddleware`` has set ``Content-Length`` to the GET body's length,
which a HEAD response keeps), so a health probe's HEAD costs no log line.
"""


class HeadRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                response.content = b""
        return response
