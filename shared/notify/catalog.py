"""Every text of the notification e-mails, in pt-BR, es and en.

Subjects start with the ticket number in brackets so that replies can be matched to tickets.
"""

from __future__ import annotations

_T = dict[str, str]

SUBJECTS: dict[str, _T] = {
    "created": {
        "pt-BR": "Recebemos o seu chamado: {title}",
        "es": "Recibimos su ticket: {title}",
        "en": "We received your ticket: {title}",
    },
    "assigned": {
        "pt-BR": "Chamado atribuído a você: {title}",
        "es": "Ticket asignado a usted: {title}",
        "en": "Ticket assigned to you: {title}",
    },
    "acknowledged": {
        "pt-BR": "Seu chamado está em atendimento",
        "es": "Su ticket está en atención",
        "en": "Your ticket is being handled",
    },
    "responded": {
        "pt-BR": "Nova resposta no seu chamado",
        "es": "Nueva respuesta en su ticket",
        "en": "New response on your ticket",
    },
    "waiting_on_requester": {
        "pt-BR": "Precisamos de informações suas",
        "es": "Necesitamos información suya",
        "en": "We need information from you",
    },
    "information_added": {
        "pt-BR": "O solicitante acrescentou informações",
        "es": "El solicitante agregó información",
        "en": "The requester added information",
    },
    "status_requested": {
        "pt-BR": "O solicitante pede notícias do chamado",
        "es": "El solicitante pide novedades del ticket",
        "en": "The requester asks for news on the ticket",
    },
    "status_provided": {
        "pt-BR": "Atualização do seu chamado",
        "es": "Novedades de su ticket",
        "en": "Update on your ticket",
    },
    "warning": {
        "pt-BR": "Atenção: {percent}% do prazo de {milestone} consumido",
        "es": "Atención: {percent}% del plazo de {milestone} consumido",
        "en": "Attention: {percent}% of the {milestone} time used",
    },
    "breached": {
        "pt-BR": "Prazo de {milestone} vencido",
        "es": "Plazo de {milestone} vencido",
        "en": "The {milestone} deadline was missed",
    },
    "escalated": {
        "pt-BR": "Chamado escalado para você (nível {level})",
        "es": "Ticket escalado a usted (nivel {level})",
        "en": "Ticket escalated to you (level {level})",
    },
    "resolved": {
        "pt-BR": "Seu chamado foi resolvido",
        "es": "Su ticket fue resuelto",
        "en": "Your ticket was resolved",
    },
    "reopened": {
        "pt-BR": "Chamado reaberto pelo solicitante",
        "es": "Ticket reabierto por el solicitante",
        "en": "Ticket reopened by the requester",
    },
    "closed": {"pt-BR": "Chamado encerrado", "es": "Ticket cerrado", "en": "Ticket closed"},
    "rated": {
        "pt-BR": "Avaliação do atendimento: {score}/5",
        "es": "Evaluación de la atención: {score}/5",
        "en": "Service rating: {score}/5",
    },
    "resumed": {
        "pt-BR": "O atendimento do seu chamado foi retomado",
        "es": "Se reanudó la atención de su ticket",
        "en": "Work on your ticket has resumed",
    },
    "status_request_unanswered": {
        "pt-BR": "Pedido de atualização sem resposta",
        "es": "Pedido de novedades sin respuesta",
        "en": "Status request left unanswered",
    },
    "policy_changed": {
        "pt-BR": "Novos prazos para o chamado",
        "es": "Nuevos plazos para el ticket",
        "en": "New deadlines for the ticket",
    },
}

INTROS: dict[str, _T] = {
    "created": {
        "pt-BR": "Seu chamado foi registrado e encaminhado a {responsible}.",
        "es": "Su ticket fue registrado y enviado a {responsible}.",
        "en": "Your ticket was recorded and sent to {responsible}.",
    },
    "assigned": {
        "pt-BR": "Um novo chamado foi atribuído a você.",
        "es": "Se le asignó un nuevo ticket.",
        "en": "A new ticket was assigned to you.",
    },
    "acknowledged": {
        "pt-BR": "{responsible} assumiu o seu chamado.",
        "es": "{responsible} tomó su ticket.",
        "en": "{responsible} took on your ticket.",
    },
    "responded": {
        "pt-BR": "{actor} respondeu ao chamado.",
        "es": "{actor} respondió al ticket.",
        "en": "{actor} responded to the ticket.",
    },
    "waiting_on_requester": {
        "pt-BR": "{actor} precisa de informações suas para continuar. O prazo fica pausado até você responder.",
        "es": "{actor} necesita información suya para continuar. El plazo queda en pausa hasta que responda.",
        "en": "{actor} needs information from you to go on. The SLA clock is paused until you answer.",
    },
    "information_added": {
        "pt-BR": "{actor} acrescentou informações ao chamado.",
        "es": "{actor} agregó información al ticket.",
        "en": "{actor} added information to the ticket.",
    },
    "status_requested": {
        "pt-BR": "{actor} pede uma atualização sobre o andamento do chamado.",
        "es": "{actor} pide una actualización sobre el avance del ticket.",
        "en": "{actor} asks for an update on the ticket's progress.",
    },
    "status_provided": {
        "pt-BR": "{actor} informou o andamento do chamado.",
        "es": "{actor} informó el avance del ticket.",
        "en": "{actor} reported on the ticket's progress.",
    },
    "warning": {
        "pt-BR": "O prazo de {milestone} vence em {due}; restam {left} úteis.",
        "es": "El plazo de {milestone} vence el {due}; quedan {left} hábiles.",
        "en": "The {milestone} deadline is {due}; {left} of business time left.",
    },
    "breached": {
        "pt-BR": "O prazo de {milestone} venceu em {due} sem ser cumprido.",
        "es": "El plazo de {milestone} venció el {due} sin cumplirse.",
        "en": "The {milestone} deadline passed at {due} without being met.",
    },
    "escalated": {
        "pt-BR": "O chamado passou do prazo e foi escalado para você (nível {level}).",
        "es": "El ticket superó el plazo y fue escalado a usted (nivel {level}).",
        "en": "The ticket is past its deadline and was escalated to you (level {level}).",
    },
    "resolved": {
        "pt-BR": "{actor} resolveu o chamado. Confirme a solução ou reabra o chamado.",
        "es": "{actor} resolvió el ticket. Confirme la solución o reabra el ticket.",
        "en": "{actor} resolved the ticket. Confirm the resolution or reopen the ticket.",
    },
    "reopened": {
        "pt-BR": "{actor} reabriu o chamado.",
        "es": "{actor} reabrió el ticket.",
        "en": "{actor} reopened the ticket.",
    },
    "closed": {
        "pt-BR": "O chamado foi encerrado.",
        "es": "El ticket fue cerrado.",
        "en": "The ticket was closed.",
    },
    "rated": {
        "pt-BR": "{actor} avaliou o atendimento com {score} de 5.",
        "es": "{actor} evaluó la atención con {score} de 5.",
        "en": "{actor} rated the service {score} out of 5.",
    },
    "resumed": {
        "pt-BR": "{actor} retomou o atendimento; o prazo voltou a correr.",
        "es": "{actor} reanudó la atención; el plazo vuelve a correr.",
        "en": "{actor} resumed work; the SLA clock is running again.",
    },
    "status_request_unanswered": {
        "pt-BR": "O solicitante pediu uma atualização em {asked} e ainda não recebeu resposta.",
        "es": "El solicitante pidió novedades el {asked} y aún no recibió respuesta.",
        "en": "The requester asked for an update at {asked} and has had no answer yet.",
    },
    "policy_changed": {
        "pt-BR": "O acordo de nível de serviço do chamado mudou; os prazos abaixo já o consideram.",
        "es": "El acuerdo de nivel de servicio del ticket cambió; los plazos de abajo ya lo consideran.",
        "en": "The ticket's service level agreement changed; the deadlines below reflect it.",
    },
}

LABELS: dict[str, _T] = {
    "hello": {"pt-BR": "Olá, {name}", "es": "Hola, {name}", "en": "Hello {name}"},
    "ticket": {"pt-BR": "Chamado", "es": "Ticket", "en": "Ticket"},
    "type": {"pt-BR": "Tipo", "es": "Tipo", "en": "Type"},
    "status": {"pt-BR": "Situação", "es": "Estado", "en": "Status"},
    "priority": {"pt-BR": "Prioridade", "es": "Prioridad", "en": "Priority"},
    "asset": {"pt-BR": "Ativo", "es": "Activo", "en": "Asset"},
    "requester": {"pt-BR": "Solicitante", "es": "Solicitante", "en": "Requester"},
    "responsible": {"pt-BR": "Responsável", "es": "Responsable", "en": "Responsible"},
    "response_due": {
        "pt-BR": "Prazo de primeira resposta",
        "es": "Plazo de primera respuesta",
        "en": "First response due",
    },
    "resolution_due": {
        "pt-BR": "Prazo de solução",
        "es": "Plazo de solución",
        "en": "Resolution due",
    },
    "elapsed": {
        "pt-BR": "Tempo decorrido (horário útil)",
        "es": "Tiempo transcurrido (horario hábil)",
        "en": "Time elapsed (business hours)",
    },
    "latest_response": {
        "pt-BR": "Última resposta",
        "es": "Última respuesta",
        "en": "Latest response",
    },
    "message": {"pt-BR": "Mensagem", "es": "Mensaje", "en": "Message"},
    "evidence": {"pt-BR": "Evidências", "es": "Evidencias", "en": "Evidence"},
    "link_expires": {
        "pt-BR": "link válido por {days} dias",
        "es": "enlace válido por {days} días",
        "en": "link valid for {days} days",
    },
    "open_ticket": {"pt-BR": "Abrir o chamado", "es": "Abrir el ticket", "en": "Open the ticket"},
    "automatic": {
        "pt-BR": "Mensagem automática da Central de Atendimento · {org}",
        "es": "Mensaje automático de la Mesa de Ayuda · {org}",
        "en": "Automatic message from the help desk · {org}",
    },
    "incident": {"pt-BR": "Incidente", "es": "Incidente", "en": "Incident"},
    "request": {
        "pt-BR": "Solicitação de serviço",
        "es": "Solicitud de servicio",
        "en": "Service request",
    },
    "milestone_response": {
        "pt-BR": "primeira resposta",
        "es": "primera respuesta",
        "en": "first response",
    },
    "milestone_resolution": {"pt-BR": "solução", "es": "solución", "en": "resolution"},
    "elapsed_value": {
        "pt-BR": "{business} úteis · {calendar} corridos",
        "es": "{business} hábiles · {calendar} corridos",
        "en": "{business} business · {calendar} calendar",
    },
    "paused": {
        "pt-BR": "pausado (aguardando o solicitante)",
        "es": "en pausa (esperando al solicitante)",
        "en": "paused (waiting on the requester)",
    },
    "helpdesk": {
        "pt-BR": "Central de Atendimento",
        "es": "Mesa de Ayuda",
        "en": "Help desk",
    },
    "description": {"pt-BR": "Descrição", "es": "Descripción", "en": "Description"},
    "details": {
        "pt-BR": "Dados informados",
        "es": "Datos informados",
        "en": "Details given",
    },
    "video_duration": {"pt-BR": "duração", "es": "duración", "en": "length"},
    "watch_video": {
        "pt-BR": "Assistir ao vídeo",
        "es": "Ver el video",
        "en": "Watch the video",
    },
    "awaiting_upload": {
        "pt-BR": "Arquivos anunciados, ainda não recebidos",
        "es": "Archivos anunciados, aún no recibidos",
        "en": "Files announced, not received yet",
    },
    "reason_asset_responsible": {
        "pt-BR": "Você é o responsável pelo ativo {asset}.",
        "es": "Usted es el responsable del activo {asset}.",
        "en": "You are the person responsible for the asset {asset}.",
    },
    "reason_policy_default": {
        "pt-BR": "Você é o responsável padrão do acordo «{policy}».",
        "es": "Usted es el responsable predeterminado del acuerdo «{policy}».",
        "en": "You are the default responsible of the agreement “{policy}”.",
    },
    "why_head": {
        "pt-BR": "Você recebe este aviso por chefiar {department}, o departamento responsável pelo chamado.",
        "es": "Recibe este aviso por dirigir {department}, el departamento responsable del ticket.",
        "en": "You receive this because you head {department}, the department responsible for the ticket.",
    },
    "reason_other": {
        "pt-BR": "Você foi designado responsável por este chamado.",
        "es": "Usted fue designado responsable de este ticket.",
        "en": "You were named responsible for this ticket.",
    },
}

STATUSES: dict[str, _T] = {
    "new": {"pt-BR": "Novo", "es": "Nuevo", "en": "New"},
    "assigned": {"pt-BR": "Atribuído", "es": "Asignado", "en": "Assigned"},
    "in_progress": {"pt-BR": "Em atendimento", "es": "En atención", "en": "In progress"},
    "waiting_on_requester": {
        "pt-BR": "Aguardando solicitante",
        "es": "Esperando al solicitante",
        "en": "Waiting on requester",
    },
    "resolved": {"pt-BR": "Resolvido", "es": "Resuelto", "en": "Resolved"},
    "closed": {"pt-BR": "Encerrado", "es": "Cerrado", "en": "Closed"},
    "cancelled": {"pt-BR": "Cancelado", "es": "Cancelado", "en": "Cancelled"},
}

PRIORITIES: dict[str, _T] = {
    "critical": {"pt-BR": "Crítica", "es": "Crítica", "en": "Critical"},
    "high": {"pt-BR": "Alta", "es": "Alta", "en": "High"},
    "medium": {"pt-BR": "Média", "es": "Media", "en": "Medium"},
    "low": {"pt-BR": "Baixa", "es": "Baja", "en": "Low"},
}


def text(table: dict[str, _T], key: str, locale: str, **values: object) -> str:
    entry = table[key]
    template = entry.get(locale) or entry["pt-BR"]
    return template.format(**values) if values else template
