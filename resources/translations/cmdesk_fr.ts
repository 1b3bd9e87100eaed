<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr">
<context>
    <name>CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation>Palette de commandes</translation>
    </message>
    <message>
        <source>Type a command…</source>
        <translation>Tapez une commande…</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Write a reply… (r to focus, / for templates, Ctrl+Enter to send)</source>
        <translation>Écrire une réponse… (r pour y aller, / pour les modèles, Ctrl+Entrée pour envoyer)</translation>
    </message>
    <message>
        <source>Templates…</source>
        <translation>Modèles…</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Envoyer la réponse</translation>
    </message>
    <message>
        <source>Select an item to answer.</source>
        <translation>Sélectionnez un message pour y répondre.</translation>
    </message>
    <message>
        <source>Too long for {0}: {1} of {2} allowed.</source>
        <translation>Trop long pour {0} : {1} sur {2} autorisés.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Add a tag (t)</source>
        <translation>Ajouter une étiquette (t)</translation>
    </message>
    <message>
        <source>Open on platform</source>
        <translation>Ouvrir sur la plateforme</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>Aucune sélection</translation>
    </message>
    <message>
        <source>Pick an item in the list (j/k to move).</source>
        <translation>Choisissez un message dans la liste (j/k pour naviguer).</translation>
    </message>
    <message>
        <source>Flagged: {0}</source>
        <translation>Signalé : {0}</translation>
    </message>
    <message>
        <source>Open again (e)</source>
        <translation>Rouvrir (e)</translation>
    </message>
    <message>
        <source>Done (e)</source>
        <translation>Terminé (e)</translation>
    </message>
    <message>
        <source>This platform gave no web address for the item.</source>
        <translation>Cette plateforme n'a pas donné d'adresse web pour ce message.</translation>
    </message>
    <message>
        <source>No tags</source>
        <translation>Aucune étiquette</translation>
    </message>
    <message>
        <source>{0} — {1} items in this account's history</source>
        <translation>{0} — {1} messages dans l'historique de ce compte</translation>
    </message>
    <message>
        <source>Notes ({0})</source>
        <translation>Notes ({0})</translation>
    </message>
    <message>
        <source>Hide (h)</source>
        <translation>Masquer (h)</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Internal note, never sent (n)</source>
        <translation>Note interne, jamais envoyée (n)</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Ajouter la note</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Exported {0} items to {1}</source>
        <translation>{0} messages exportés vers {1}</translation>
    </message>
    <message>
        <source>Export failed: {0}</source>
        <translation>L'export a échoué : {0}</translation>
    </message>
    <message>
        <source>Export items</source>
        <translation>Exporter les messages</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Exported {0} items…</source>
        <translation>{0} messages exportés…</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>just now</source>
        <translation>à l'instant</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>{0} h</source>
        <translation>{0} h</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>hier</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Flagged: {0}</source>
        <translation>Signalé : {0}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvert</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Répondu</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Mention</source>
        <translation>Mention</translation>
    </message>
    <message>
        <source>Direct message</source>
        <translation>Message privé</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Avis</translation>
    </message>
    <message>
        <source>Visible</source>
        <translation>Visible</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>Masqué</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Waiting for a moderator</source>
        <translation>En attente de modération</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <source>Moderated</source>
        <translation>Modéré</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <source>Unanswered</source>
        <translation>Sans réponse</translation>
    </message>
    <message>
        <source>Moderation queue</source>
        <translation>File de modération</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CMDesk</source>
        <translation>CMDesk</translation>
    </message>
    <message>
        <source>Search — words, "a phrase", prefix*, -without, from:author  (/)</source>
        <translation>Rechercher — mots, "une phrase", préfixe*, -sans, from:auteur  (/)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Item</source>
        <translation>&amp;Message</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>CMDesk — demo workspace</source>
        <translation>CMDesk — espace de démonstration</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tous les statuts</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>Toutes les plateformes</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Toutes les dates</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>Dernière année</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>Toutes les étiquettes</translation>
    </message>
    <message>
        <source>Export items…</source>
        <translation>Exporter les messages…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Next item</source>
        <translation>Message suivant</translation>
    </message>
    <message>
        <source>Previous item</source>
        <translation>Message précédent</translation>
    </message>
    <message>
        <source>Mark done / open again</source>
        <translation>Marquer terminé / rouvrir</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <source>Add a tag</source>
        <translation>Ajouter une étiquette</translation>
    </message>
    <message>
        <source>Add an internal note</source>
        <translation>Ajouter une note interne</translation>
    </message>
    <message>
        <source>Mark as spam</source>
        <translation>Marquer comme spam</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Marquer comme non lu</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Command palette</source>
        <translation>Palette de commandes</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Show: {0}</source>
        <translation>Afficher : {0}</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>About CMDesk</source>
        <translation>À propos de CMDesk</translation>
    </message>
    <message>
        <source>Replies are sent by the outbox, which is not running in this window.</source>
        <translation>Les réponses passent par la file d'envoi, qui ne tourne pas dans cette fenêtre.</translation>
    </message>
    <message>
        <source> — Undo: Ctrl+Z</source>
        <translation> — Annuler : Ctrl+Z</translation>
    </message>
    <message>
        <source>{0} item(s) marked {1}</source>
        <translation>{0} message(s) marqué(s) « {1} »</translation>
    </message>
    <message>
        <source>Tagged {0} item(s) #{1}</source>
        <translation>{0} message(s) étiqueté(s) #{1}</translation>
    </message>
    <message>
        <source>Note added</source>
        <translation>Note ajoutée</translation>
    </message>
    <message>
        <source>Undone: {0}</source>
        <translation>Annulé : {0}</translation>
    </message>
    <message>
        <source>{0}{1} items</source>
        <translation>{0}{1} messages</translation>
    </message>
    <message>
        <source> · {0} selected</source>
        <translation> · {0} sélectionné(s)</translation>
    </message>
    <message>
        <source>(click to dismiss)</source>
        <translation>(cliquer pour fermer)</translation>
    </message>
    <message>
        <source>The language changes the next time CMDesk starts.</source>
        <translation>La langue change au prochain démarrage de CMDesk.</translation>
    </message>
    <message>
        <source>CMDesk {0}
One local inbox for your social accounts. Your data stays on this computer.</source>
        <translation>CMDesk {0}
Une boîte de réception locale pour vos comptes sociaux. Vos données restent sur cet ordinateur.</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>ACCOUNTS</source>
        <translation>COMPTES</translation>
    </message>
</context>
</TS>