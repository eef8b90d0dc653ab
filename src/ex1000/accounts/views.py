from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from . import selectors


@login_required
def document(request, document_id: int):
    """Identity documents stream only to their owner or an operator; no public URL exists."""
    doc = selectors.documents_visible_to(request.user).filter(pk=document_id).first()
    if doc is None:
        raise Http404
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
